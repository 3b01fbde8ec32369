/**
 * The live migration panel: one webview panel per migration started from the editor, charting
 * it as it runs (the view model of migration-view-model.ts, sent at most four times a second)
 * and keeping the summary once it ended. Its page is the results panel's (panel-html.ts: CSP,
 * nonce) with its own script, dist/migration.js. The webview keeps the last model with
 * `setState`, so hiding and showing the panel redraws it at once.
 */
import * as vscode from 'vscode';
import { isMigrationViewModel, type MigrationViewModel } from '../../../webview/migration-model';
import { isRecord } from '../../../webview/guards';
import { migrationExtensionEndpoint, type FromMigrationWebview } from '../../../webview/protocol';
import { buildMigrationViewModel, type MigrationPanelHeader, type MigrationPanelUpdate } from './migration-view-model';
import { makeNonce, panelHtml } from './panel-html';

/** The webview panel type (for `onWebviewPanel:` activation and the serializer). */
export const MIGRATION_VIEW_TYPE = 'qemuLab.migration';

/** Live updates arrive with every `query-migrate` sample; the webview redraws at most this often. */
const POST_INTERVAL_MS = 250;

/** What the panel needs from the extension. */
export interface MigrationPanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
}

/** The command's handle on its panel. */
export interface MigrationPanelHandle {
  /** The migration went on (or ended): redraw soon (at once when it ended). */
  update(update: MigrationPanelUpdate): void;
  /** Brings the panel to the front, opening it again if it was closed. */
  reveal(): void;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableFindWidget: true,
    // Only the bundles: the webview can load nothing else of the extension, nor of the workspace.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

/** Sets a panel's page and message handling; returns how to post a model to it. */
function attach(
  panel: vscode.WebviewPanel,
  deps: MigrationPanelDependencies,
  current: () => MigrationViewModel | undefined,
  onCancel: () => void,
): { post: (model: MigrationViewModel) => void; dispose: () => void } {
  const endpoint = migrationExtensionEndpoint(
    (message: FromMigrationWebview) => {
      switch (message.type) {
        case 'ready': {
          const model = current();
          if (model !== undefined) endpoint.post({ type: 'migration', model });
          return;
        }
        case 'cancelMigration':
          deps.log.info('migration panel: Cancel');
          onCancel();
          return;
        case 'log':
          deps.log[message.level](`migration panel: ${message.message}`);
          return;
      }
    },
    (message) => panel.webview.postMessage(message),
    (problem) => deps.log.warn(`migration panel: ${problem}`),
  );
  const subscription = panel.webview.onDidReceiveMessage((data: unknown) => endpoint.receive(data));
  panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'qemu-lab.svg');
  const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'migration.js'));
  panel.webview.html = panelHtml({ cspSource: panel.webview.cspSource, scriptUri: scriptUri.toString(), nonce: makeNonce(), title: panel.title });
  return {
    post: (model) => void endpoint.post({ type: 'migration', model }),
    dispose: () => {
      endpoint.dispose();
      subscription.dispose();
    },
  };
}

/**
 * Opens the panel of a migration beside the editor (without taking the focus). `onCancel` is
 * the panel's Cancel button: the command cancels the migration as its notification would.
 */
export function openMigrationPanel(deps: MigrationPanelDependencies, header: MigrationPanelHeader, onCancel: () => void): MigrationPanelHandle {
  let model: MigrationViewModel | undefined;
  let panel: vscode.WebviewPanel | undefined;
  let channel: ReturnType<typeof attach> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPost = 0;

  const open = (): void => {
    const created = vscode.window.createWebviewPanel(MIGRATION_VIEW_TYPE, `Migration: ${header.vm}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(deps.extensionUri));
    panel = created;
    channel = attach(created, deps, () => model, onCancel);
    created.onDidDispose(() => {
      // Closing the panel does not stop the migration: the notification still follows it.
      channel?.dispose();
      channel = undefined;
      panel = undefined;
    });
  };
  const post = (): void => {
    timer = undefined;
    lastPost = Date.now();
    if (model !== undefined) channel?.post(model);
  };
  open();
  return {
    update: (update) => {
      model = buildMigrationViewModel(header, update);
      if (update.state !== 'running') {
        if (timer !== undefined) clearTimeout(timer);
        post();
        return;
      }
      if (timer !== undefined) return;
      timer = setTimeout(post, Math.max(0, POST_INTERVAL_MS - (Date.now() - lastPost)));
    },
    reveal: () => {
      if (panel === undefined) open();
      else panel.reveal(undefined, false);
    },
  };
}

/** The one panel "Show Migrations" reuses: picking another stored migration replaces what it shows. */
let storedPanel: { readonly panel: vscode.WebviewPanel; model: MigrationViewModel; post: (model: MigrationViewModel) => void } | undefined;

/**
 * Shows a stored migration (or anything that no longer runs) in the migration panel: nothing to
 * cancel. One panel serves every stored migration, brought to the front with the new model.
 */
export function showMigrationModel(deps: MigrationPanelDependencies, model: MigrationViewModel): void {
  if (storedPanel !== undefined) {
    storedPanel.model = model;
    storedPanel.panel.title = `Migration: ${model.title}`;
    storedPanel.post(model);
    storedPanel.panel.reveal(undefined, false);
    return;
  }
  const panel = vscode.window.createWebviewPanel(MIGRATION_VIEW_TYPE, `Migration: ${model.title}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(deps.extensionUri));
  // The webview asks for the model (`ready`) only after this function returned: `entry` is set by then.
  const channel = attach(panel, deps, () => entry.model, () => undefined);
  const entry = { panel, model, post: channel.post };
  storedPanel = entry;
  panel.onDidDispose(() => {
    channel.dispose();
    if (storedPanel === entry) storedPanel = undefined;
  });
}

/**
 * Brings migration panels back after a window reload, from the model the webview saved: the
 * migration that fed it is gone, so it shows what it had, without Cancel. Register it at
 * activation (and list `onWebviewPanel:qemuLab.migration` in package.json's activationEvents).
 */
export function registerMigrationPanelSerializer(deps: MigrationPanelDependencies): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(MIGRATION_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => {
      const saved = isRecord(state) && isMigrationViewModel(state.model) ? state.model : undefined;
      if (saved === undefined) {
        panel.dispose();
        return;
      }
      const model: MigrationViewModel = saved.state === 'running' ? { ...saved, state: 'failed', cancellable: false, status: `${saved.status} (the window reloaded while it ran: its end is in the log and the store)` } : saved;
      panel.webview.options = webviewOptions(deps.extensionUri);
      const channel = attach(panel, deps, () => model, () => undefined);
      panel.onDidDispose(() => channel.dispose());
    },
  });
}
