/**
 * The live migration panel's DOM, drawn from its view model: the status (with Cancel while it
 * runs), the migration chart, the `--during` chart and table when there are benchmarks, and the
 * summary's facts once it ended. Returns the canvases to draw the charts on.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { DURING_CHART_ID, MIGRATION_CHART_ID } from './migration-chart-config';
import type { DuringRow, MigrationViewModel } from './migration-model';

/** What the page's buttons do. */
export interface MigrationViewActions {
  cancel(): void;
}

/** A canvas and which chart goes on it. */
export interface MigrationChartSlot {
  readonly id: typeof MIGRATION_CHART_ID | typeof DURING_CHART_ID;
  readonly canvas: HTMLCanvasElement;
}

type Child = Node | string | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | undefined, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== undefined) element.className = className;
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function chartCard(id: MigrationChartSlot['id'], label: string, slots: MigrationChartSlot[]): HTMLElement {
  const canvas = el('canvas', undefined);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  slots.push({ id, canvas });
  const figure = el('figure', 'chart-card', el('div', 'chart-box', canvas));
  figure.dataset.chartId = id;
  return figure;
}

function duringTable(rows: readonly DuringRow[]): HTMLElement {
  const head = el('tr', undefined, ...['Benchmark', 'Baseline', 'Before', 'Migrating', 'Change', 'After', 'Notes'].map((h) => el('th', undefined, h)));
  const body = rows.map((r) =>
    el('tr', undefined, el('td', undefined, r.label), ...[r.baseline, r.before, r.migrating, r.change, r.after].map((v) => el('td', 'number', v)), el('td', undefined, r.notes)),
  );
  return el('table', undefined, el('thead', undefined, head), el('tbody', undefined, ...body));
}

/** Draws the page into `root`; returns the chart slots. */
export function renderMigration(root: HTMLElement, model: MigrationViewModel, actions: MigrationViewActions): MigrationChartSlot[] {
  const slots: MigrationChartSlot[] = [];
  const cancel = el('vscode-button', undefined, 'Cancel Migration');
  cancel.setAttribute('secondary', '');
  cancel.title = 'migrate_cancel: the VM keeps running on the source, the destination QEMU is removed';
  cancel.addEventListener('click', () => {
    cancel.setAttribute('disabled', '');
    actions.cancel();
  });
  const status = el(
    'section',
    'progress',
    el('div', model.state === 'failed' || model.state === 'cancelled' ? 'status-failed' : undefined, model.status),
    model.error !== undefined && el('div', 'warning', model.error),
    model.cancellable && el('div', 'toolbar', cancel),
  );
  const hasProgress = model.progress.some((s) => s.points.length > 0);
  const parts: Child[] = [
    el('h1', undefined, model.title),
    status,
    hasProgress ? chartCard(MIGRATION_CHART_ID, 'Migration quantities over time', slots) : el('p', 'hint', 'Waiting for the first query-migrate sample…'),
    model.during.length > 0 && el('h2', undefined, 'Benchmarks around the migration'),
    model.during.length > 0 && chartCard(DURING_CHART_ID, 'Benchmarks around the migration, % of baseline', slots),
    model.duringRows.length > 0 && duringTable(model.duringRows),
    model.facts.length > 0 && el('h2', undefined, 'Summary'),
    model.facts.length > 0 && el('dl', 'facts', ...model.facts.flatMap((f) => [el('dt', undefined, f.name), el('dd', undefined, f.value)])),
  ];
  root.replaceChildren(...parts.filter((p): p is Node | string => p !== undefined && p !== false));
  return slots;
}
