/**
 * The COLO status panel's DOM, drawn from its view model: the pair's verdict and what to do,
 * a table of both sides (host, pid, run state, COLO mode, migration, QMP response time, SSH),
 * the pair's facts, the last failover, and the Refresh and Fail Over buttons.
 */
import type { ColoSideView, ColoViewModel } from './model';
import { button, el, replaceContent, type Child } from '../shared/dom';

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

/** Draws the page into `root`. */
export function renderColo(root: HTMLElement, model: ColoViewModel, actions: ColoViewActions): void {
  const failed = model.state === 'hung' || model.state === 'primary-lost' || model.state === 'secondary-lost' || model.state === 'unreadable';
  const toolbar = el(
    'div',
    'toolbar',
    button('Refresh', actions.refresh, { secondary: true, title: 'Read both QEMUs again now (query-colo-status, query-migrate, query-status)' }),
    button('Fail Over…', actions.failOver, { disabled: !model.canFailOver, title: 'One side goes on alone: to the secondary (the primary is killed) or to the primary (the secondary is killed)' }),
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
  replaceContent(root, parts);
}
