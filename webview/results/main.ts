/**
 * The results panel's webview (bundle dist/webview.js): receives the view model from the
 * extension (results/protocol.ts), draws it (view.ts, shared/charts.ts), and sends back what the
 * user picks or exports. Its state (the last model, the run progress, the history cell picked)
 * is kept with `setState`, so when the panel is hidden and shown again — the webview is then
 * reloaded, as the panel does not retain its context — it draws at once, before the extension
 * answers `ready`.
 */
import { PanelCharts, type ChartDrawing } from '../shared/charts';
import { isRecord, isString } from '../shared/guards';
import { runPanel, type PanelPage, type PanelScript } from '../shared/panel-main';
import { currentPalette } from '../shared/panel-shell';
import { PNG_DATA_URL_PREFIX } from '../shared/protocol';
import { PANEL_CSS } from '../shared/styles';
import type { Palette } from '../shared/theme';
import { barChartConfig, HISTORY_CHART_ID, historyChartConfig, isBarScale, type BarScale } from './chart-config';
import { isResultsViewModel, isRunProgressView, type ResultsViewModel, type RunProgressView } from './model';
import { RESULTS_PROTOCOL, type FromResultsWebview, type ToResultsWebview } from './protocol';
import { renderModel, renderProgress, type ChartSlot, type ViewActions } from './view';

/**
 * What survives the webview being hidden, and VS Code restarting (the panel serializer reopens
 * the lab file of `model.labPath`).
 */
interface PanelState {
  readonly model?: ResultsViewModel;
  readonly progress?: RunProgressView;
  readonly historyCell?: string;
  /** The bar charts' value axis, as the user last chose it. */
  readonly barScale?: BarScale;
}

function restoredState(value: unknown): PanelState {
  if (!isRecord(value)) return {};
  return {
    ...(isResultsViewModel(value.model) ? { model: value.model } : {}),
    ...(isRunProgressView(value.progress) ? { progress: value.progress } : {}),
    ...(isString(value.historyCell) ? { historyCell: value.historyCell } : {}),
    ...(isBarScale(value.barScale) ? { barScale: value.barScale } : {}),
  };
}

function drawingOf(slot: ChartSlot, palette: Palette, barScale: BarScale): ChartDrawing {
  return slot.kind === 'bar'
    ? { id: slot.id, canvas: slot.canvas, config: barChartConfig(slot.view, palette, barScale) }
    : { id: slot.id, canvas: slot.canvas, config: historyChartConfig(slot.history, palette) };
}

function start(page: PanelPage<FromResultsWebview, PanelState>): PanelScript<ToResultsWebview> {
  const charts = new PanelCharts();
  const progressBox = document.createElement('section');
  progressBox.className = 'progress';
  progressBox.hidden = true;
  const content = document.createElement('main');
  document.body.replaceChildren(progressBox, content);
  /** The bar charts of the last render, to draw again on another scale. */
  let barSlots: ChartSlot[] = [];
  const chartFailed = (id: string, error: unknown): void => page.log('error', `chart ${id} could not be drawn: ${error instanceof Error ? error.message : String(error)}`);

  const sendPng = (chartId: string): void => {
    const dataUrl = charts.png(chartId);
    if (dataUrl === undefined || !dataUrl.startsWith(PNG_DATA_URL_PREFIX)) {
      page.log('warn', `no chart "${chartId}" to export`);
      return;
    }
    page.post({ type: 'exportPng', chartId, dataUrl });
  };

  const actions: ViewActions = {
    selectExperiment: (name) => page.post({ type: 'selectExperiment', name }),
    selectRun: (runId) => page.post({ type: 'selectRun', runId }),
    selectHistoryCell: (cell) => {
      const state = { ...page.state(), historyCell: cell };
      page.save(state);
      // Only the history chart changes: re-rendering the page would pull the dropdown out from
      // under its own change event.
      const history = state.model?.history.find((h) => h.cell === cell);
      const canvas = content.querySelector<HTMLCanvasElement>(`figure[data-chart-id="${HISTORY_CHART_ID}"] canvas`);
      if (history === undefined || canvas === null) return;
      canvas.setAttribute('aria-label', `${history.label}: median per run`);
      const palette = currentPalette();
      charts.draw(drawingOf({ kind: 'history', id: HISTORY_CHART_ID, canvas, history }, palette, state.barScale ?? 'linear'), palette, chartFailed);
    },
    selectBarScale: (barScale) => {
      page.save({ ...page.state(), barScale });
      // Only the bar charts change (as for the history cell: the dropdown stays where it is).
      const palette = currentPalette();
      for (const slot of barSlots) charts.draw(drawingOf(slot, palette, barScale), palette, chartFailed);
    },
    runExperiment: (name) => page.post({ type: 'runExperiment', name }),
    exportCsv: () => page.post({ type: 'exportCsv' }),
    exportReport: (format) => page.post({ type: 'exportReport', format }),
    exportPng: (chartId) => sendPng(chartId),
  };

  const draw = (): void => {
    const state = page.state();
    renderProgress(progressBox, state.progress);
    if (state.model === undefined) {
      charts.destroy();
      content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Loading results…' }));
      return;
    }
    const palette = currentPalette();
    const barScale = state.barScale ?? 'linear';
    const slots = renderModel(content, state.model, state.historyCell, barScale, actions);
    barSlots = slots.filter((slot) => slot.kind === 'bar');
    charts.drawAll(slots.map((slot) => drawingOf(slot, palette, barScale)), palette, chartFailed);
  };

  return {
    draw,
    handlers: {
      show: (message) => {
        page.save({ ...page.state(), model: message.model });
        draw();
      },
      progress: (message) => {
        const { progress: _previous, ...rest } = page.state();
        page.save(message.progress === undefined ? rest : { ...rest, progress: message.progress });
        renderProgress(progressBox, page.state().progress);
      },
      requestPng: (message) => sendPng(message.chartId),
    },
  };
}

runPanel({ name: 'results', protocol: RESULTS_PROTOCOL, css: PANEL_CSS, restore: restoredState, redrawOnThemeChange: true, start });
