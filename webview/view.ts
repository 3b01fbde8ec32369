/**
 * The panel's DOM, drawn from the view model: toolbar (experiment and run dropdowns, exports),
 * progress of a run, network, charts with their ratios as text, the table of medians, what was
 * not measured and why, the history of a cell, imported results, facts, store problems. Text
 * goes in through `textContent` only: nothing from the model is parsed as HTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { HISTORY_CHART_ID } from './chart-config';
import type { BarChartView, CellHistory, NotDoneView, ResultsViewModel, RunProgressView, RunView } from './model';

/** What the user can do in the panel; main.ts turns these into messages. */
export interface ViewActions {
  selectExperiment(name: string): void;
  selectRun(runId: string): void;
  selectHistoryCell(cell: string): void;
  runExperiment(name: string): void;
  exportCsv(): void;
  exportReport(format: 'md' | 'html'): void;
  exportPng(chartId: string): void;
}

/** A canvas to draw a chart on, and what to draw. */
export type ChartSlot =
  | { readonly kind: 'bar'; readonly id: string; readonly canvas: HTMLCanvasElement; readonly view: BarChartView }
  | { readonly kind: 'history'; readonly id: string; readonly canvas: HTMLCanvasElement; readonly history: CellHistory };

type Child = Node | string | undefined | false;

/** An element with a class, attributes and children (strings become text nodes). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: { className?: string; attrs?: Readonly<Record<string, string>> } = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className !== undefined) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function button(label: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean; id?: string; title?: string } = {}): HTMLElement {
  const element = el('vscode-button', {
    attrs: {
      ...(options.secondary === true ? { secondary: '' } : {}),
      ...(options.disabled === true ? { disabled: '' } : {}),
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.title === undefined ? {} : { title: options.title }),
    },
  }, label);
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) onClick();
  });
  return element;
}

function select(id: string, ariaLabel: string, options: readonly { value: string; label: string }[], selected: string | undefined, onChange: (value: string) => void): HTMLElement {
  const element = el('vscode-single-select', { attrs: { id, 'aria-label': ariaLabel } });
  for (const option of options) {
    element.append(el('vscode-option', { attrs: { value: option.value, ...(option.value === selected ? { selected: '' } : {}) } }, option.label));
  }
  if (options.length === 0) element.setAttribute('disabled', '');
  element.addEventListener('change', () => {
    const value = element.value;
    if (value !== selected) onChange(value);
  });
  return element;
}

function toolbar(model: ResultsViewModel, actions: ViewActions): HTMLElement {
  const experiment = model.experiments.find((e) => e.name === model.experiment);
  const hasRun = model.run !== undefined;
  return el(
    'div',
    { className: 'toolbar' },
    el(
      'label',
      {},
      'Experiment',
      select('experiment', 'Experiment', model.experiments.map((e) => ({ value: e.name, label: e.inLab ? e.name : `${e.name} (not in the lab file)` })), model.experiment, actions.selectExperiment),
    ),
    el('label', {}, 'Run', select('run', 'Run', (experiment?.runs ?? []).map((r) => ({ value: r.runId, label: r.label })), model.runId, actions.selectRun)),
    el(
      'div',
      { className: 'buttons' },
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
    { className: 'not-done' },
    ...items.map((n) => el('li', {}, el('code', {}, n.cell), ' — ', el('span', { className: `status-${n.status}` }, n.status), `: ${n.reason}`)),
  );
}

/** The progress of an experiment run from the editor (empty when none is going on). */
export function renderProgress(container: HTMLElement, progress: RunProgressView | undefined): void {
  container.replaceChildren();
  container.hidden = progress === undefined;
  if (progress === undefined) return;
  const bar = el('progress', { attrs: { max: String(Math.max(1, progress.planned)), value: String(progress.done) } });
  container.append(
    el('div', {}, el('strong', {}, `Running ${progress.experiment}: `), `${progress.done} of ${progress.planned} runs${progress.eta === undefined ? '' : `, ${progress.eta}`}`),
    bar,
    el('div', { className: 'hint' }, progress.message),
  );
  if (progress.notDone.length > 0) container.append(notDoneList(progress.notDone));
}

function chartCard(view: BarChartView, actions: ViewActions, slots: ChartSlot[]): HTMLElement {
  const canvas = el('canvas', { attrs: { 'aria-label': `${view.title}; ${view.ratios.join('; ')}`, role: 'img' } });
  slots.push({ kind: 'bar', id: view.id, canvas, view });
  return el(
    'figure',
    { className: 'chart-card', attrs: { 'data-chart-id': view.id } },
    el('div', { className: 'chart-box' }, canvas),
    view.ratios.length > 0 && el('ul', { className: 'ratios' }, ...view.ratios.map((r) => el('li', { className: 'ratio' }, r))),
    view.hostRatios.length > 0 && el('ul', { className: 'host-ratios' }, ...view.hostRatios.map((r) => el('li', {}, r))),
    el('div', { className: 'chart-actions' }, button('Save as PNG…', () => actions.exportPng(view.id), { secondary: true })),
  );
}

function table(headers: readonly string[], rows: readonly (readonly (string | { number: string })[])[], className: string): HTMLElement {
  return el(
    'table',
    { className },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => (typeof cell === 'string' ? el('td', {}, cell) : el('td', { className: 'number' }, cell.number)))))),
  );
}

function runSection(run: RunView, actions: ViewActions, slots: ChartSlot[]): HTMLElement[] {
  const sections: HTMLElement[] = [];
  sections.push(
    el(
      'section',
      { className: 'network' },
      el('div', {}, el('strong', {}, 'Network: '), run.network ?? 'not recorded'),
      run.networkNote !== undefined && el('p', { className: 'warning' }, run.networkNote),
    ),
  );
  sections.push(el('section', { className: 'charts' }, ...run.charts.map((c) => chartCard(c, actions, slots))));
  sections.push(
    el(
      'section',
      {},
      el('h2', {}, 'Medians'),
      table(
        ['Benchmark', 'Where', 'Median', 'CV', 'n', 'Min–max', 'Outliers'],
        run.table.map((r) => [r.benchmark, r.where, { number: r.median }, { number: r.cv }, { number: String(r.count) }, { number: r.range }, r.outliers === 0 ? '–' : `${r.outliers}: ${r.outlierValues}`]),
        'medians',
      ),
    ),
  );
  if (run.notDone.length > 0) sections.push(el('section', {}, el('h2', {}, 'Not measured'), notDoneList(run.notDone)));
  else if (!run.hasRunLog) {
    sections.push(el('p', { className: 'hint' }, 'This run has no run log yet: it is still going on, or it was interrupted. Cells it skipped or failed are listed once it ends.'));
  }
  return sections;
}

function historySection(model: ResultsViewModel, historyCell: string | undefined, actions: ViewActions, slots: ChartSlot[]): HTMLElement | undefined {
  const history = model.history.find((h) => h.cell === historyCell) ?? model.history[0];
  if (history === undefined) return undefined;
  const canvas = el('canvas', { attrs: { 'aria-label': `${history.label}: median per run`, role: 'img' } });
  slots.push({ kind: 'history', id: HISTORY_CHART_ID, canvas, history });
  return el(
    'section',
    { className: 'history' },
    el('h2', {}, 'History of a cell'),
    el('div', { className: 'toolbar' }, el('label', {}, 'Cell', select('history-cell', 'Cell', model.history.map((h) => ({ value: h.cell, label: h.label })), history.cell, actions.selectHistoryCell))),
    el(
      'figure',
      { className: 'chart-card', attrs: { 'data-chart-id': HISTORY_CHART_ID } },
      el('div', { className: 'chart-box' }, canvas),
      el('div', { className: 'chart-actions' }, button('Save as PNG…', () => actions.exportPng(HISTORY_CHART_ID), { secondary: true })),
    ),
  );
}

/**
 * Replaces the content of `root` with the model; returns the canvases to draw charts on (the
 * caller owns the charts and destroys them before the next render).
 */
export function renderModel(root: HTMLElement, model: ResultsViewModel, historyCell: string | undefined, actions: ViewActions): ChartSlot[] {
  const slots: ChartSlot[] = [];
  const parts: Child[] = [el('h1', {}, `Results — ${model.labName}`), toolbar(model, actions)];
  if (model.hint !== undefined) parts.push(el('p', { className: 'hint' }, model.hint));
  if (model.run !== undefined) parts.push(...runSection(model.run, actions, slots));
  parts.push(historySection(model, historyCell, actions, slots));
  if (model.imported.length > 0) {
    parts.push(
      el(
        'section',
        {},
        el('h2', {}, 'Imported results'),
        table(['Benchmark', 'Label', 'n', 'Median', 'Files'], model.imported.map((r) => [r.benchmark, r.label || '–', { number: String(r.count) }, { number: r.median }, r.files]), 'imported'),
      ),
    );
  }
  if (model.run !== undefined && model.run.facts.length > 0) {
    parts.push(el('section', {}, el('h2', {}, 'Environment'), el('dl', { className: 'facts' }, ...model.run.facts.flatMap((f) => [el('dt', {}, f.name), el('dd', {}, f.value)]))));
  }
  if (model.problems.length > 0) {
    parts.push(el('section', {}, el('h2', {}, 'Store problems'), el('ul', { className: 'problems' }, ...model.problems.map((p) => el('li', {}, p)))));
  }
  root.replaceChildren(...parts.filter((p): p is Node | string => p !== undefined && p !== false));
  return slots;
}
