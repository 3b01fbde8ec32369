/**
 * The one bootstrap of every panel's webview script (results, migration, COLO): acquires the
 * VS Code API once, restores the state kept with `setState` (a hidden-and-shown panel is
 * reloaded, and draws at once from it), adopts the styles, connects the panel's protocol with a
 * handler table ({@link dispatch}), reports page errors and CSP violations to the extension's
 * log, redraws on a theme change, draws, and says `ready`.
 */
import { dispatch, webviewEndpoint, type LogMessage, type Message, type MessageHandlers, type PanelProtocol, type ReadyMessage } from './protocol';
import { adoptPanelStyles, panelLogger } from './panel-shell';
import { redrawOnThemeChange } from './theme-watch';

/** The API VS Code gives a webview's script, once. */
interface VsCodeApi<TFrom, TState> {
  postMessage(message: TFrom): void;
  getState(): unknown;
  setState(state: TState): void;
}
declare function acquireVsCodeApi<TFrom, TState>(): VsCodeApi<TFrom, TState>;

/** What a panel's script is given to work with. */
export interface PanelPage<TFrom extends Message, TState> {
  /** The state now: what was restored, then what {@link save} kept. */
  state(): TState;
  /** Keeps a new state (for the next reload, and the extension's serializer). */
  save(next: TState): void;
  /** Sends a message to the extension. */
  post(message: TFrom): boolean;
  /** Logs to the console and to the extension's log channel. */
  log(level: 'warn' | 'error', message: string): void;
}

/** What a panel's script answers with: how to draw, and a handler per message of the extension. */
export interface PanelScript<TTo extends Message> {
  /** Draws the page from the state (at start, after messages, and on a theme change). */
  readonly draw: () => void;
  readonly handlers: MessageHandlers<TTo>;
}

/** One panel's webview. */
export interface PanelMainOptions<TTo extends Message, TFrom extends Message, TState> {
  /** For log lines: `results`, `migration`, `COLO`. */
  readonly name: string;
  readonly protocol: PanelProtocol<TTo, TFrom>;
  readonly css: string;
  /** The state from what `getState` returned (anything, or nothing: check it). */
  readonly restore: (saved: unknown) => TState;
  /** Charts on a canvas do not follow CSS: redraw when the theme changes. */
  readonly redrawOnThemeChange: boolean;
  /** Builds the page (its elements in `document.body`) and says how to draw it and handle messages. */
  readonly start: (page: PanelPage<TFrom, TState>) => PanelScript<TTo>;
}

/** Starts a panel's webview: call once, from its bundle's main. */
export function runPanel<TTo extends Message, TFrom extends Message, TState>(options: PanelMainOptions<TTo, TFrom, TState>): void {
  // Every panel's webview says `ready` and logs: those two are in each union it sends.
  type Outgoing = TFrom | ReadyMessage | LogMessage;
  const vscode = acquireVsCodeApi<Outgoing, TState>();
  let state = options.restore(vscode.getState());
  adoptPanelStyles(options.css);
  const log = panelLogger(options.name, (message) => vscode.postMessage(message));
  const endpoint = webviewEndpoint<TTo, Outgoing>(
    options.protocol,
    // The script's handler table is made below, with the endpoint it posts through; nothing is
    // received before the message listener is added, after both.
    (message) => handle(message),
    (message) => vscode.postMessage(message),
    (problem) => log('warn', problem),
  );
  const script = options.start({
    state: () => state,
    save: (next) => {
      state = next;
      vscode.setState(next);
    },
    post: (message: TFrom) => endpoint.post(message),
    log,
  });
  const handle = dispatch(script.handlers);

  window.addEventListener('message', (event: MessageEvent<unknown>) => void endpoint.receive(event.data));
  window.addEventListener('error', (event) => log('error', `${event.message} (${event.filename}:${event.lineno})`));
  // A blocked resource or style means the page and its Content-Security-Policy disagree: say so.
  document.addEventListener('securitypolicyviolation', (event) =>
    log('warn', `the Content-Security-Policy blocked ${event.blockedURI || 'an inline resource'} (${event.effectiveDirective})${event.sample ? ` "${event.sample}"` : ''} at ${event.sourceFile || '?'}:${event.lineNumber}`),
  );
  window.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => log('error', `unhandled rejection: ${String(event.reason)}`));
  if (options.redrawOnThemeChange) redrawOnThemeChange(script.draw);

  script.draw();
  endpoint.post({ type: 'ready' });
}
