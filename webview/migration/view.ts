/**
 * The live migration panel's DOM, drawn from its view model: the status (with Cancel while it
 * runs), the migration chart, the `--during` chart and table when there are benchmarks, and the
 * summary's facts once it ended. With a comparison of the VM's stored migrations, two tabs:
 * this migration, and "Compare settings". Returns the canvases to draw the charts on.
 */
import { DURING_CHART_ID, MIGRATION_CHART_ID } from './chart-config';
import { renderComparison, type ComparisonChartSlot } from './comparison-view';
import type { DuringRow, MigrationViewModel } from './model';
import { chartCard as card, el, replaceContent, type Child } from '../shared/dom';

/** The panel's tabs (only 'migration' when there is no comparison). */
export type MigrationTab = 'migration' | 'compare';

/** What the page's buttons do. */
export interface MigrationViewActions {
  cancel(): void;
  selectTab(tab: MigrationTab): void;
}

/** A canvas and which chart goes on it. */
export interface MigrationChartSlot {
  readonly id: typeof MIGRATION_CHART_ID | typeof DURING_CHART_ID;
  readonly canvas: HTMLCanvasElement;
}

/** The canvases of one render: the migration's line charts and the comparison's bars. */
export interface MigrationSlots {
  readonly migration: MigrationChartSlot[];
  readonly comparison: ComparisonChartSlot[];
}

function chartCard(id: MigrationChartSlot['id'], label: string, slots: MigrationChartSlot[]): HTMLElement {
  const { figure, canvas } = card(id, label);
  slots.push({ id, canvas });
  return figure;
}

function duringTable(rows: readonly DuringRow[]): HTMLElement {
  const head = el('tr', undefined, ...['Benchmark', 'Baseline', 'Before', 'Migrating', 'Change', 'After', 'Notes'].map((h) => el('th', undefined, h)));
  const body = rows.map((r) =>
    el('tr', undefined, el('td', undefined, r.label), ...[r.baseline, r.before, r.migrating, r.change, r.after].map((v) => el('td', 'number', v)), el('td', undefined, r.notes)),
  );
  return el('table', undefined, el('thead', undefined, head), el('tbody', undefined, ...body));
}

function tabBar(model: MigrationViewModel, tab: MigrationTab, actions: MigrationViewActions): HTMLElement {
  const button = (which: MigrationTab, label: string): HTMLElement => {
    const b = el('vscode-button', undefined, label);
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(which === tab));
    b.dataset.tab = which;
    if (which !== tab) b.setAttribute('secondary', '');
    b.addEventListener('click', () => actions.selectTab(which));
    return b;
  };
  const compared = model.comparison;
  const bar = el('div', 'toolbar tabs', button('migration', 'This migration'), compared !== undefined && button('compare', `Compare settings (${compared.migrations} of ${compared.vm})`));
  bar.setAttribute('role', 'tablist');
  return bar;
}

function migrationTab(model: MigrationViewModel, actions: MigrationViewActions, slots: MigrationChartSlot[]): Child[] {
  const cancel = el('vscode-button', undefined, 'Cancel Migration');
  cancel.setAttribute('secondary', '');
  cancel.title = 'migrate_cancel: the VM keeps running on the source, the destination QEMU is removed';
  cancel.addEventListener('click', () => {
    cancel.setAttribute('disabled', '');
    actions.cancel();
  });
  const ended = model.state !== 'running';
  const status = el(
    'section',
    'progress',
    el('div', model.state === 'failed' || model.state === 'cancelled' ? 'status-failed' : undefined, model.status),
    model.note !== undefined && el('div', 'hint', model.note),
    model.error !== undefined && el('div', 'warning', model.error),
    model.cancellable && el('div', 'toolbar', cancel),
  );
  const hasProgress = model.progress.some((s) => s.points.length > 0);
  return [
    status,
    // An ended migration without samples (a stored record from before timelines) shows its summary alone.
    hasProgress ? chartCard(MIGRATION_CHART_ID, 'Migration quantities over time', slots) : !ended && el('p', 'hint', 'Waiting for the first query-migrate sample…'),
    model.during.length > 0 && el('h2', undefined, 'Benchmarks around the migration'),
    model.during.length > 0 && chartCard(DURING_CHART_ID, 'Benchmarks around the migration, % of baseline', slots),
    model.duringRows.length > 0 && duringTable(model.duringRows),
    model.facts.length > 0 && el('h2', undefined, 'Summary'),
    model.facts.length > 0 && el('dl', 'facts', ...model.facts.flatMap((f) => [el('dt', undefined, f.name), el('dd', undefined, f.value)])),
  ];
}

/**
 * Draws the page into `root`; returns the chart slots of the shown tab (a chart in a hidden
 * element would be drawn at size 0, so only the shown tab's canvases exist).
 */
export function renderMigration(root: HTMLElement, model: MigrationViewModel, actions: MigrationViewActions, tab: MigrationTab = 'migration'): MigrationSlots {
  const slots: MigrationSlots = { migration: [], comparison: [] };
  const shown: MigrationTab = model.comparison === undefined ? 'migration' : tab;
  const parts: Child[] = [
    el('h1', undefined, model.title),
    model.comparison !== undefined && tabBar(model, shown, actions),
    ...(shown === 'compare' && model.comparison !== undefined ? renderComparison(model.comparison, slots.comparison) : migrationTab(model, actions, slots.migration)),
  ];
  replaceContent(root, parts);
  return slots;
}
