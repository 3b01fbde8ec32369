/**
 * The COLO status panel's DOM, drawn from its view model: the pair's verdict and what to do,
 * a table of both sides (host, pid, run state, COLO mode, migration, QMP response time, SSH),
 * the pair's facts, the last failover, the Refresh and Fail Over buttons, and what COLO cost the
 * guest when last measured (a table and a Chart.js chart, drawn by the caller).
 */
import type { ColoCostView, ColoSideView, ColoViewModel } from './model';
import { button, chartCard, el, replaceContent, type Child } from '../shared/dom';
import { withUnit } from '../shared/format';
import { COST_CHART_ID } from './chart-config';

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

/** Where the cost chart is to be drawn (the caller owns the chart). */
export interface CostChartSlot {
  readonly canvas: HTMLCanvasElement;
  readonly cost: ColoCostView;
}

function costSection(cost: ColoCostView): { section: HTMLElement; slot: CostChartSlot } {
  const { figure, canvas } = chartCard(COST_CHART_ID, `Guest throughput with COLO as a share of without: ${cost.bars.map((b) => `${b.benchmark} ${b.ratio}`).join('; ')}`);
  const head = el('tr', undefined, ...['Benchmark', 'Without COLO', "With COLO (guest's clock)", 'With / without', 'With COLO (host time)', 'With / without'].map((h) => el('th', undefined, h)));
  const rows = cost.bars.map((b) =>
    el(
      'tr',
      undefined,
      el('td', undefined, b.benchmark),
      el('td', 'number', withUnit(b.without, b.unit)),
      el('td', 'number', withUnit(b.with, b.unit)),
      el('td', 'number', b.ratio),
      el('td', 'number', b.withHostTime === undefined ? '–' : withUnit(b.withHostTime, b.unit)),
      el('td', 'number', b.hostRatio ?? '–'),
    ),
  );
  const table = el('table', 'cost', el('thead', undefined, head), el('tbody', undefined, ...rows));
  table.setAttribute('aria-label', 'What COLO costs the guest');
  const section = el(
    'section',
    'cost',
    el('h2', undefined, 'What COLO costs the guest'),
    el('p', 'hint', cost.source),
    figure,
    table,
    el('h3', undefined, 'Checkpoints'),
    el('dl', 'facts', ...cost.checkpoints.flatMap((f) => [el('dt', undefined, f.name), el('dd', undefined, f.value)])),
  );
  return { section, slot: { canvas, cost } };
}

/** Draws the page into `root`; returns where the cost chart goes, when the model has a cost. */
export function renderColo(root: HTMLElement, model: ColoViewModel, actions: ColoViewActions): CostChartSlot | undefined {
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
  const cost = model.cost === undefined ? undefined : costSection(model.cost);
  if (cost !== undefined) parts.push(cost.section);
  replaceContent(root, parts);
  return cost?.slot;
}
