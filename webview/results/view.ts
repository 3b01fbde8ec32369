/**
 * The panel's DOM, drawn from the view model: toolbar (experiment and run dropdowns, exports),
 * progress of a run, network, charts with their ratios as text, the table of medians, what was
 * not measured and why, the history of a cell, imported results, facts, store problems. Text
 * goes in through `textContent` only: nothing from the model is parsed as HTML.
 */
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { button, chartCard as card, el, replaceContent, withAttributes, type Child } from '../shared/dom';
import { BAR_SCALES, HISTORY_CHART_ID, isBarScale, type BarScale } from './chart-config';
import type { BarChartView, CellHistory, NotDoneView, ResultsViewModel, RunProgressView, RunView } from './model';

/** What the user can do in the panel; main.ts turns these into messages. */
export interface ViewActions {
  selectExperiment(name: string): void;
  selectRun(runId: string): void;
  selectHistoryCell(cell: string): void;
  selectBarScale(scale: BarScale): void;
  runExperiment(name: string): void;
  exportCsv(): void;
  exportReport(format: 'md' | 'html'): void;
  exportPng(chartId: string): void;
}

/** A canvas to draw a chart on, and what to draw. */
export type ChartSlot =
  | { readonly kind: 'bar'; readonly id: string; readonly canvas: HTMLCanvasElement; readonly view: BarChartView }
  | { readonly kind: 'history'; readonly id: string; readonly canvas: HTMLCanvasElement; readonly history: CellHistory };

function select(id: string, ariaLabel: string, options: readonly { value: string; label: string }[], selected: string | undefined, onChange: (value: string) => void): HTMLElement {
  const element = withAttributes(el('vscode-single-select', undefined), { id, 'aria-label': ariaLabel });
  for (const option of options) {
    element.append(withAttributes(el('vscode-option', undefined, option.label), { value: option.value, ...(option.value === selected ? { selected: '' } : {}) }));
  }
  if (options.length === 0) element.setAttribute('disabled', '');
  element.addEventListener('change', () => {
    const value = element.value;
    if (value !== selected) onChange(value);
  });
  return element;
}

function toolbar(model: ResultsViewModel, barScale: BarScale, actions: ViewActions): HTMLElement {
  const experiment = model.experiments.find((e) => e.name === model.experiment);
  const hasRun = model.run !== undefined;
  return el(
    'div',
    'toolbar',
    el(
      'label',
      undefined,
      'Experiment',
      select('experiment', 'Experiment', model.experiments.map((e) => ({ value: e.name, label: e.inLab ? e.name : `${e.name} (not in the lab file)` })), model.experiment, actions.selectExperiment),
    ),
    el('label', undefined, 'Run', select('run', 'Run', (experiment?.runs ?? []).map((r) => ({ value: r.runId, label: r.label })), model.runId, actions.selectRun)),
    el(
      'label',
      undefined,
      'Scale',
      select('bar-scale', 'Scale of the bar charts', BAR_SCALES, barScale, (value) => {
        if (isBarScale(value)) actions.selectBarScale(value);
      }),
    ),
    el(
      'div',
      'buttons',
      button('Run Experiment', () => experiment !== undefined && actions.runExperiment(experiment.name), {
        id: 'run-experiment',
        disabled: experiment?.inLab !== true,
        title: 'Run this experiment again: a new run',
      }),
      button('Export CSV', () => actions.exportCsv(), { id: 'export-csv', secondary: true, disabled: !hasRun, title: 'Raw values of this run, one row per measured run' }),
      button('Markdown Report', () => actions.exportReport('md'), { id: 'export-md', secondary: true, disabled: !hasRun, title: 'A Markdown report of this run, with SVG charts beside it' }),
      button('HTML Report', () => actions.exportReport('html'), { id: 'export-html', secondary: true, disabled: !hasRun, title: 'One self-contained HTML file' }),
    ),
  );
}

function notDoneList(items: readonly NotDoneView[]): HTMLElement {
  return el(
    'ul',
    'not-done',
    ...items.map((n) => el('li', undefined, el('code', undefined, n.cell), ' — ', el('span', `status-${n.status}`, n.status), `: ${n.reason}`)),
  );
}

/** The progress of an experiment run from the editor (empty when none is going on). */
export function renderProgress(container: HTMLElement, progress: RunProgressView | undefined): void {
  container.replaceChildren();
  container.hidden = progress === undefined;
  if (progress === undefined) return;
  const bar = withAttributes(el('progress', undefined), { max: String(Math.max(1, progress.planned)), value: String(progress.done) });
  container.append(
    el('div', undefined, el('strong', undefined, `Running ${progress.experiment}: `), `${progress.done} of ${progress.planned} runs${progress.eta === undefined ? '' : `, ${progress.eta}`}`),
    bar,
    el('div', 'hint', progress.message),
  );
  if (progress.notDone.length > 0) container.append(notDoneList(progress.notDone));
}

function barCard(view: BarChartView, actions: ViewActions, slots: ChartSlot[]): HTMLElement {
  const { figure, canvas } = card(
    view.id,
    `${view.title}; ${view.ratios.join('; ')}`,
    view.ratios.length > 0 && el('ul', 'ratios', ...view.ratios.map((r) => el('li', 'ratio', r))),
    view.hostRatios.length > 0 && el('ul', 'host-ratios', ...view.hostRatios.map((r) => el('li', undefined, r))),
    el('div', 'chart-actions', button('Save as PNG…', () => actions.exportPng(view.id), { secondary: true })),
  );
  slots.push({ kind: 'bar', id: view.id, canvas, view });
  return figure;
}

function table(headers: readonly string[], rows: readonly (readonly (string | { number: string })[])[], className: string): HTMLElement {
  return el(
    'table',
    className,
    el('thead', undefined, el('tr', undefined, ...headers.map((h) => el('th', undefined, h)))),
    el('tbody', undefined, ...rows.map((row) => el('tr', undefined, ...row.map((cell) => (typeof cell === 'string' ? el('td', undefined, cell) : el('td', 'number', cell.number)))))),
  );
}

function runSection(run: RunView, actions: ViewActions, slots: ChartSlot[]): HTMLElement[] {
  const sections: HTMLElement[] = [];
  sections.push(
    el(
      'section',
      'network',
      el('div', undefined, el('strong', undefined, 'Network: '), run.network ?? 'not recorded'),
      run.networkNote !== undefined && el('p', 'warning', run.networkNote),
    ),
  );
  sections.push(el('section', 'charts', ...run.charts.map((c) => barCard(c, actions, slots))));
  sections.push(
    el(
      'section',
      undefined,
      el('h2', undefined, 'Medians'),
      table(
        ['Benchmark', 'Where', 'Median', 'CV', 'n', 'Min–max', 'Outliers'],
        run.table.map((r) => [r.benchmark, r.where, { number: r.median }, { number: r.cv }, { number: String(r.count) }, { number: r.range }, r.outliers === 0 ? '–' : `${r.outliers}: ${r.outlierValues}`]),
        'medians',
      ),
    ),
  );
  if (run.notDone.length > 0) sections.push(el('section', undefined, el('h2', undefined, 'Not measured'), notDoneList(run.notDone)));
  else if (!run.hasRunLog) {
    sections.push(el('p', 'hint', 'This run has no run log yet: it is still going on, or it was interrupted. Cells it skipped or failed are listed once it ends.'));
  }
  return sections;
}

function historySection(model: ResultsViewModel, historyCell: string | undefined, actions: ViewActions, slots: ChartSlot[]): HTMLElement | undefined {
  const history = model.history.find((h) => h.cell === historyCell) ?? model.history[0];
  if (history === undefined) return undefined;
  const { figure, canvas } = card(
    HISTORY_CHART_ID,
    `${history.label}: median per run`,
    el('div', 'chart-actions', button('Save as PNG…', () => actions.exportPng(HISTORY_CHART_ID), { secondary: true })),
  );
  slots.push({ kind: 'history', id: HISTORY_CHART_ID, canvas, history });
  return el(
    'section',
    'history',
    el('h2', undefined, 'History of a cell'),
    el('div', 'toolbar', el('label', undefined, 'Cell', select('history-cell', 'Cell', model.history.map((h) => ({ value: h.cell, label: h.label })), history.cell, actions.selectHistoryCell))),
    figure,
  );
}

/**
 * Replaces the content of `root` with the model; returns the canvases to draw charts on (the
 * caller owns the charts and destroys them before the next render).
 */
export function renderModel(root: HTMLElement, model: ResultsViewModel, historyCell: string | undefined, barScale: BarScale, actions: ViewActions): ChartSlot[] {
  const slots: ChartSlot[] = [];
  const parts: Child[] = [el('h1', undefined, `Results — ${model.labName}`), toolbar(model, barScale, actions)];
  if (model.hint !== undefined) parts.push(el('p', 'hint', model.hint));
  if (model.run !== undefined) parts.push(...runSection(model.run, actions, slots));
  parts.push(historySection(model, historyCell, actions, slots));
  if (model.imported.length > 0) {
    parts.push(
      el(
        'section',
        undefined,
        el('h2', undefined, 'Imported results'),
        table(['Benchmark', 'Label', 'n', 'Median', 'Files'], model.imported.map((r) => [r.benchmark, r.label || '–', { number: String(r.count) }, { number: r.median }, r.files]), 'imported'),
      ),
    );
  }
  if (model.run !== undefined && model.run.facts.length > 0) {
    parts.push(el('section', undefined, el('h2', undefined, 'Environment'), el('dl', 'facts', ...model.run.facts.flatMap((f) => [el('dt', undefined, f.name), el('dd', undefined, f.value)]))));
  }
  if (model.problems.length > 0) {
    parts.push(el('section', undefined, el('h2', undefined, 'Store problems'), el('ul', 'problems', ...model.problems.map((p) => el('li', undefined, p)))));
  }
  replaceContent(root, parts);
  return slots;
}
