/** Building DOM nodes in panel views: text is always added as text, never parsed as HTML. */

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
