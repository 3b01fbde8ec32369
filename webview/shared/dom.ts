/** Building DOM nodes in panel views: text is always added as text, never parsed as HTML. */
import '@vscode-elements/elements/dist/vscode-button/index.js';

/** What an element may hold; `undefined` and `false` are skipped (for optional parts). */
export type Child = Node | string | undefined | false;

/** An element of `tag` with an optional class and its children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | undefined, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== undefined) element.className = className;
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Sets attributes on an element; returns it (for use inside {@link el}). */
export function withAttributes<E extends Element>(element: E, attributes: Readonly<Record<string, string>>): E {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** Replaces the content of `root` with the parts that are there (`undefined` and `false` skipped). */
export function replaceContent(root: HTMLElement, parts: readonly Child[]): void {
  root.replaceChildren(...parts.filter((p): p is Node | string => p !== undefined && p !== false));
}

/** How a {@link button} looks and what it says on hover. */
export interface ButtonOptions {
  readonly secondary?: boolean;
  readonly disabled?: boolean;
  readonly id?: string;
  readonly title?: string;
}

/** A VS Code button; a click on it while disabled does nothing. */
export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  const element = withAttributes(el('vscode-button', undefined, label), {
    ...(options.secondary === true ? { secondary: '' } : {}),
    ...(options.disabled === true ? { disabled: '' } : {}),
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(options.title === undefined ? {} : { title: options.title }),
  });
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) onClick();
  });
  return element;
}

/** A canvas for a chart (an image for screen readers) in its card: `figure.chart-card[data-chart-id]`. */
export function chartCard(id: string, label: string, ...after: Child[]): { readonly figure: HTMLElement; readonly canvas: HTMLCanvasElement } {
  const canvas = withAttributes(el('canvas', undefined), { role: 'img', 'aria-label': label });
  const figure = withAttributes(el('figure', 'chart-card', el('div', 'chart-box', canvas), ...after), { 'data-chart-id': id });
  return { figure, canvas };
}
