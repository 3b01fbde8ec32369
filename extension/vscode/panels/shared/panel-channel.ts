/**
 * The one panel bootstrap of the extension side, used by every panel (results, migration,
 * COLO): creates (or, after a reload, re-options) a webview panel that loads only its bundle
 * from dist/, sets its page (CSP with a fresh nonce: presentation/panels/panel-html.ts), connects
 * the panel's protocol — incoming messages checked, then dispatched to a handler table keyed by
 * their type; outgoing messages typed — and owns the listeners it made.
 */
import * as vscode from 'vscode';
import { dispatch, extensionEndpoint, type LogMessage, type Message, type MessageHandler, type MessageHandlers, type PanelProtocol } from '../../../../webview/shared/protocol';
import { makeNonce, panelHtml } from '../../../presentation/panels/panel-html';

/** A kind of panel: its webview panel type, its bundle and its protocol. */
export interface PanelKind<TTo extends Message, TFrom extends Message> {
  /** The webview panel type (for `onWebviewPanel:` activation and the serializer). */
  readonly viewType: string;
  /** Its script in dist/ (`colo.js`). */
  readonly bundle: string;
  readonly protocol: PanelProtocol<TTo, TFrom>;
}

/** Where a new panel opens. */
export interface PanelPlacement {
  readonly viewColumn: vscode.ViewColumn;
  readonly preserveFocus: boolean;
}

/** The options of every panel's webview: scripts, and only the bundles of dist/ to load. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableFindWidget: true,
    // Only the bundles: the webview can load nothing else of the extension, nor of the workspace.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

/** Opens a new webview panel of a kind. */
export function createPanel(kind: PanelKind<Message, Message>, extensionUri: vscode.Uri, title: string, placement: PanelPlacement): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(kind.viewType, title, placement, panelOptions(extensionUri));
}

/** A panel the serializer brings back after a reload: the same options as a new one. */
export function restorePanelOptions(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
  panel.webview.options = panelOptions(extensionUri);
}

/** The handler of the `log` message every panel's webview sends: into the extension's log, prefixed. */
export function logInto(log: vscode.LogOutputChannel, prefix: string): (message: LogMessage) => void {
  return (message) => log[message.level](`${prefix}: ${message.message}`);
}

/** What a {@link PanelChannel} needs. */
export interface PanelChannelOptions<TFrom extends Message> {
  readonly extensionUri: vscode.Uri;
  /** A handler per message type the webview sends. */
  readonly handlers: MessageHandlers<TFrom>;
  /** A malformed message, a failed handler or post: for the log. */
  readonly onProblem: (problem: string) => void;
  /** The panel was closed (by the user, or disposed): after the channel released what it owns. */
  readonly onClosed?: () => void;
}

/**
 * A webview panel's page and message channel. Disposing the channel releases the endpoint and
 * every listener it owns, but not the panel: at deactivation (a window reload) a panel must stay
 * open for its serializer to restore it.
 */
export class PanelChannel<TTo extends Message, TFrom extends Message> implements vscode.Disposable {
  private readonly endpoint: MessageHandler<TFrom, TTo>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    kind: PanelKind<TTo, TFrom>,
    options: PanelChannelOptions<TFrom>,
  ) {
    this.endpoint = extensionEndpoint(kind.protocol, dispatch(options.handlers), (message) => panel.webview.postMessage(message), options.onProblem);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((data: unknown) => this.endpoint.receive(data)),
      panel.onDidDispose(() => {
        this.dispose();
        options.onClosed?.();
      }),
    );
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'qemu-lab.svg');
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(options.extensionUri, 'dist', kind.bundle));
    panel.webview.html = panelHtml({ cspSource: panel.webview.cspSource, scriptUri: scriptUri.toString(), nonce: makeNonce(), title: panel.title });
  }

  /** Sends the webview a message; false once released, or when the post failed at once. */
  post(message: TTo): boolean {
    return this.endpoint.post(message);
  }

  /** Owns more listeners: they are released with the channel. */
  own(...disposables: vscode.Disposable[]): void {
    if (this.disposed) for (const disposable of disposables) disposable.dispose();
    else this.disposables.push(...disposables);
  }

  /** Stops handling and sending, and releases the listeners (not the panel). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.endpoint.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
