/**
 * The live migration panel's webview (bundle dist/migration.js): receives the view model from
 * the extension (webview/protocol.ts, `ToMigrationWebview`), draws it, and sends Cancel. The
 * last model is kept with `setState`, so when the panel is hidden and shown again — the webview
 * is then reloaded — it draws at once, before the extension answers `ready`.
 */
import { PanelCharts } from './charts';
import { isRecord } from './guards';
import { DURING_CHART_ID, duringChartConfig, migrationChartConfig } from './migration-chart-config';
import { comparisonChartConfig } from './migration-comparison-chart-config';
import { isMigrationViewModel, type MigrationViewModel } from './migration-model';
import { renderMigration, type MigrationTab } from './migration-view';
import { migrationWebviewEndpoint, type FromMigrationWebview, type ToMigrationWebview } from './protocol';
import { adoptPanelStyles, currentPalette, panelLogger } from './panel-shell';
import { PANEL_CSS } from './styles';
import { redrawOnThemeChange } from './theme-watch';

/** The API VS Code gives a webview's script, once. */
interface VsCodeApi {
  postMessage(message: FromMigrationWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the webview being hidden, and a window reload (the serializer reads `model`). */
interface PanelState {
  readonly model?: MigrationViewModel;
  /** The tab shown; a new model keeps it. */
  readonly tab?: MigrationTab;
}

function restoredState(value: unknown): PanelState {
  if (!isRecord(value) || !isMigrationViewModel(value.model)) return {};
  return { model: value.model, tab: value.tab === 'compare' ? 'compare' : 'migration' };
}

const vscode = acquireVsCodeApi();
let state = restoredState(vscode.getState());
const charts = new PanelCharts();

adoptPanelStyles(PANEL_CSS);
const content = document.createElement('main');
document.body.replaceChildren(content);

const log = panelLogger('migration', (message) => vscode.postMessage(message));

const endpoint = migrationWebviewEndpoint(
  (message) => handle(message),
  (message) => vscode.postMessage(message),
  (problem) => log('warn', problem),
);

const palette = currentPalette;

function draw(): void {
  const model = state.model;
  if (model === undefined) {
    charts.destroy();
    content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Waiting for the migration…' }));
    return;
  }
  charts.destroy();
  const slots = renderMigration(
    content,
    model,
    {
      cancel: () => endpoint.post({ type: 'cancelMigration' }),
      selectTab: (tab) => {
        state = { ...state, tab };
        vscode.setState(state);
        draw();
      },
    },
    state.tab,
  );
  const colours = palette();
  const attempt = (id: string, paint: () => void): void => {
    try {
      paint();
    } catch (error) {
      log('error', `chart ${id} could not be drawn: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const slot of slots.migration) {
    attempt(slot.id, () => charts.drawConfig(slot.id, slot.canvas, slot.id === DURING_CHART_ID ? duringChartConfig(model, colours) : migrationChartConfig(model, colours), colours));
  }
  for (const slot of slots.comparison) {
    attempt(slot.id, () => charts.drawBarConfig(slot.id, slot.canvas, comparisonChartConfig(slot.view, slot.groups, colours), colours));
  }
}

function handle(message: ToMigrationWebview): void {
  switch (message.type) {
    case 'migration':
      state = { ...state, model: message.model };
      vscode.setState(state);
      draw();
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => void endpoint.receive(event.data));
window.addEventListener('error', (event) => log('error', `${event.message} (${event.filename}:${event.lineno})`));
document.addEventListener('securitypolicyviolation', (event) => log('warn', `the Content-Security-Policy blocked ${event.blockedURI || 'an inline resource'} (${event.effectiveDirective})`));

redrawOnThemeChange(draw);

draw();
endpoint.post({ type: 'ready' });
