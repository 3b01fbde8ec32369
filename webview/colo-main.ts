/**
 * The COLO status panel's webview (bundle dist/colo.js): receives the view model from the
 * extension (webview/protocol.ts, `ToColoWebview`), draws it, and sends Refresh and Fail Over.
 * The last model is kept with `setState`: a hidden-and-shown panel draws at once, and after a
 * window reload the extension finds the VM again from it (`labPath`, `vmName`).
 */
import { isColoViewModel, type ColoViewModel } from './colo-model';
import { COLO_CSS } from './colo-styles';
import { renderColo } from './colo-view';
import { isRecord } from './guards';
import { coloWebviewEndpoint, type FromColoWebview, type ToColoWebview } from './protocol';
import { adoptPanelStyles, panelLogger } from './panel-shell';
import { PANEL_CSS } from './styles';

/** The API VS Code gives a webview's script, once. */
interface VsCodeApi {
  postMessage(message: FromColoWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives the webview being hidden, and a window reload (the serializer reads `model`). */
interface PanelState {
  readonly model?: ColoViewModel;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState();
let state: PanelState = isRecord(saved) && isColoViewModel(saved.model) ? { model: saved.model } : {};

adoptPanelStyles(PANEL_CSS + COLO_CSS);
const content = document.createElement('main');
document.body.replaceChildren(content);

const log = panelLogger('COLO', (message) => vscode.postMessage(message));

const endpoint = coloWebviewEndpoint(
  (message) => handle(message),
  (message) => vscode.postMessage(message),
  (problem) => log('warn', problem),
);

function draw(): void {
  if (state.model === undefined) {
    content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Reading the COLO pair…' }));
    return;
  }
  renderColo(content, state.model, {
    refresh: () => endpoint.post({ type: 'refresh' }),
    failOver: () => endpoint.post({ type: 'failOver' }),
  });
}

function handle(message: ToColoWebview): void {
  switch (message.type) {
    case 'colo':
      state = { model: message.model };
      vscode.setState(state);
      draw();
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => void endpoint.receive(event.data));
window.addEventListener('error', (event) => log('error', `${event.message} (${event.filename}:${event.lineno})`));
document.addEventListener('securitypolicyviolation', (event) => log('warn', `the Content-Security-Policy blocked ${event.blockedURI || 'an inline resource'} (${event.effectiveDirective})`));

draw();
endpoint.post({ type: 'ready' });
