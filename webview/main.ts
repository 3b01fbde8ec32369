/**
 * The results panel's webview: receives the view model from the extension (webview/protocol.ts),
 * draws it (view.ts, charts.ts), and sends back what the user picks or exports. Its state (the
 * last model, the run progress, the history cell picked) is kept with `setState`, so when the
 * panel is hidden and shown again — the webview is then reloaded, as the panel does not retain
 * its context — it draws at once, before the extension answers `ready`.
 */
import { HISTORY_CHART_ID } from './chart-config';
import { PanelCharts } from './charts';
import { isRecord, isString } from './guards';
import { isResultsViewModel, isRunProgressView, type ResultsViewModel, type RunProgressView } from './model';
import { PNG_DATA_URL_PREFIX, webviewEndpoint, type FromWebview, type ToWebview } from './protocol';
import { adoptPanelStyles, currentPalette, panelLogger } from './panel-shell';
import { PANEL_CSS } from './styles';
import { redrawOnThemeChange } from './theme-watch';
import { renderModel, renderProgress, type ChartSlot, type ViewActions } from './view';

/** The API VS Code gives a webview's script, once. */
interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * What survives the webview being hidden, and VS Code restarting (the panel serializer reopens
 * the lab file of `model.labPath`).
 */
interface PanelState {
  readonly model?: ResultsViewModel;
  readonly progress?: RunProgressView;
  readonly historyCell?: string;
}

function restoredState(value: unknown): PanelState {
  if (!isRecord(value)) return {};
  return {
    ...(isResultsViewModel(value.model) ? { model: value.model } : {}),
    ...(isRunProgressView(value.progress) ? { progress: value.progress } : {}),
    ...(isString(value.historyCell) ? { historyCell: value.historyCell } : {}),
  };
}

const vscode = acquireVsCodeApi();
let state = restoredState(vscode.getState());
const charts = new PanelCharts();

adoptPanelStyles(PANEL_CSS);

const progressBox = document.createElement('section');
progressBox.className = 'progress';
progressBox.hidden = true;
const content = document.createElement('main');
document.body.replaceChildren(progressBox, content);

const log = panelLogger('results', (message) => vscode.postMessage(message));

const endpoint = webviewEndpoint(
  (message) => handle(message),
  (message) => vscode.postMessage(message),
  (problem) => log('warn', problem),
);

function save(next: PanelState): void {
  state = next;
  vscode.setState(state);
}

const actions: ViewActions = {
  selectExperiment: (name) => endpoint.post({ type: 'selectExperiment', name }),
  selectRun: (runId) => endpoint.post({ type: 'selectRun', runId }),
  selectHistoryCell: (cell) => {
    save({ ...state, historyCell: cell });
    // Only the history chart changes: re-rendering the page would pull the dropdown out from
    // under its own change event.
    const history = state.model?.history.find((h) => h.cell === cell);
    const canvas = content.querySelector<HTMLCanvasElement>(`figure[data-chart-id="${HISTORY_CHART_ID}"] canvas`);
    if (history === undefined || canvas === null) return;
    canvas.setAttribute('aria-label', `${history.label}: median per run`);
    drawCharts([{ kind: 'history', id: HISTORY_CHART_ID, canvas, history }], true);
  },
  runExperiment: (name) => endpoint.post({ type: 'runExperiment', name }),
  exportCsv: () => endpoint.post({ type: 'exportCsv' }),
  exportReport: (format) => endpoint.post({ type: 'exportReport', format }),
  exportPng: (chartId) => sendPng(chartId),
};

const palette = currentPalette;

function draw(): void {
  renderProgress(progressBox, state.progress);
  if (state.model === undefined) {
    charts.destroy();
    content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Loading results…' }));
    return;
  }
  drawCharts(renderModel(content, state.model, state.historyCell, actions), false);
}

/** Draws the charts of the slots: all of them anew, or (`only`) just these, keeping the others. */
function drawCharts(slots: readonly ChartSlot[], only: boolean): void {
  try {
    if (only) for (const slot of slots) charts.drawOne(slot, palette());
    else charts.draw(slots, palette());
  } catch (error) {
    log('error', `a chart could not be drawn: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function sendPng(chartId: string): void {
  const dataUrl = charts.png(chartId);
  if (dataUrl === undefined || !dataUrl.startsWith(PNG_DATA_URL_PREFIX)) {
    log('warn', `no chart "${chartId}" to export`);
    return;
  }
  endpoint.post({ type: 'exportPng', chartId, dataUrl });
}

function handle(message: ToWebview): void {
  switch (message.type) {
    case 'show':
      save({ ...state, model: message.model });
      draw();
      return;
    case 'progress': {
      const { progress: _previous, ...rest } = state;
      save(message.progress === undefined ? rest : { ...rest, progress: message.progress });
      renderProgress(progressBox, state.progress);
      return;
    }
    case 'requestPng':
      sendPng(message.chartId);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => void endpoint.receive(event.data));
window.addEventListener('error', (event) => log('error', `${event.message} (${event.filename}:${event.lineno})`));
// A blocked resource or style means the page and its Content-Security-Policy disagree: say so.
document.addEventListener('securitypolicyviolation', (event) =>
  log('warn', `the Content-Security-Policy blocked ${event.blockedURI || 'an inline resource'} (${event.effectiveDirective})${event.sample ? ` "${event.sample}"` : ''} at ${event.sourceFile || '?'}:${event.lineNumber}`),
);
window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => log('error', `unhandled rejection: ${String(event.reason)}`));

redrawOnThemeChange(draw);

draw();
endpoint.post({ type: 'ready' });
