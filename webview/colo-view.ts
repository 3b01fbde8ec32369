/**
 * The COLO status panel's DOM, drawn from its view model: the pair's verdict and what to do,
 * a table of both sides (host, pid, run state, COLO mode, migration, QMP response time, SSH),
 * the pair's facts, the last failover, and the Refresh and Fail Over buttons.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ColoSideView, ColoViewModel } from './colo-model';
import { el, type Child } from './dom';

/** What the page's buttons do. */
export interface ColoViewActions {
  refresh(): void;
  failOver(): void;
}


const ROWS: readonly [string, (side: ColoSideView) => string][] = [
  ['Host', (s) => s.host],
  ['QEMU pid', (s) => s.pid],
  ['Run state', (s) => s.runState],
  ['COLO mode', (s) => s.mode],
  ['Migration', (s) => s.migration],
  ['QMP response', (s) => s.qmp],
  ['SSH', (s) => s.ssh],
];

function sidesTable(sides: readonly ColoSideView[]): HTMLElement {
  const head = el('tr', undefined, el('th', undefined, ''), ...sides.map((s) => el('th', `health-${s.health}`, s.role)));
  const body = ROWS.map(([name, value]) => {
    const th = el('th', undefined, name);
    th.setAttribute('scope', 'row');
    return el('tr', undefined, th, ...sides.map((s) => el('td', name === 'Run state' ? `health-${s.health}` : undefined, value(s))));
  });
  const table = el('table', 'sides', el('thead', undefined, head), el('tbody', undefined, ...body));
  table.setAttribute('aria-label', 'Both QEMUs of the pair');
  return table;
}

function button(label: string, title: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean } = {}): HTMLElement {
  const b = el('vscode-button', undefined, label);
  b.title = title;
  if (options.secondary === true) b.setAttribute('secondary', '');
  if (options.disabled === true) b.setAttribute('disabled', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** Draws the page into `root`. */
export function renderColo(root: HTMLElement, model: ColoViewModel, actions: ColoViewActions): void {
  const failed = model.state === 'hung' || model.state === 'primary-lost' || model.state === 'secondary-lost' || model.state === 'unreadable';
  const toolbar = el(
    'div',
    'toolbar',
    button('Refresh', 'Read both QEMUs again now (query-colo-status, query-migrate, query-status)', actions.refresh, { secondary: true }),
    button('Fail Over…', 'One side goes on alone: to the secondary (the primary is killed) or to the primary (the secondary is killed)', actions.failOver, { disabled: !model.canFailOver }),
  );
  const parts: Child[] = [
    el('h1', undefined, `COLO: ${model.title}`),
    el('section', 'progress', el('div', `state-line${failed ? ' status-failed' : ''}`, model.headline), model.advice !== undefined && el('div', 'warning', model.advice), el('div', 'hint', model.readAt)),
    toolbar,
    model.sides.length > 0 && sidesTable(model.sides),
    model.lastFailover !== undefined && el('h2', undefined, 'Last failover'),
    model.lastFailover !== undefined && el('p', undefined, model.lastFailover),
    model.facts.length > 0 && el('h2', undefined, 'The pair'),
    model.facts.length > 0 && el('dl', 'facts', ...model.facts.flatMap((f) => [el('dt', undefined, f.name), el('dd', undefined, f.value)])),
  ];
  root.replaceChildren(...parts.filter((p): p is Node | string => p !== undefined && p !== false));
}
