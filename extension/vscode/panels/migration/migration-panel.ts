/**
 * The live migration panel: one webview panel per migration started from the editor, charting
 * it as it runs (the view model of presentation/panels/migration/view-model.ts, sent at most four
 * times a second) and keeping the summary once it ended. Its page and channel are every panel's
 * (shared/panel-channel.ts) with its own script, dist/migration.js. The webview keeps the last
 * model with `setState`, so hiding and showing the panel redraws it at once.
 */
import * as vscode from 'vscode';
import { isMigrationViewModel, type MigrationViewModel } from '../../../../webview/migration/model';
import { MIGRATION_PROTOCOL, type FromMigrationWebview, type ToMigrationWebview } from '../../../../webview/migration/protocol';
import { isRecord } from '../../../../webview/shared/guards';
import { buildMigrationViewModel, type MigrationPanelHeader, type MigrationPanelUpdate } from '../../../presentation/panels/migration/view-model';
import { createPanel, logInto, PanelChannel, restorePanelOptions, type PanelKind } from '../shared/panel-channel';

/** The webview panel type (for `onWebviewPanel:` activation and the serializer). */
export const MIGRATION_VIEW_TYPE = 'qemuLab.migration';

const MIGRATION_PANEL: PanelKind<ToMigrationWebview, FromMigrationWebview> = { viewType: MIGRATION_VIEW_TYPE, bundle: 'migration.js', protocol: MIGRATION_PROTOCOL };

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

/** Sets a panel's page and message handling; returns its channel (released when the panel closes). */
function attach(
  panel: vscode.WebviewPanel,
  deps: MigrationPanelDependencies,
  current: () => MigrationViewModel | undefined,
  onCancel: () => void,
  onClosed?: () => void,
): PanelChannel<ToMigrationWebview, FromMigrationWebview> {
  const channel = new PanelChannel(panel, MIGRATION_PANEL, {
    extensionUri: deps.extensionUri,
    handlers: {
      ready: () => {
        const model = current();
        if (model !== undefined) channel.post({ type: 'migration', model });
      },
      cancelMigration: () => {
        deps.log.info('migration panel: Cancel');
        onCancel();
      },
      log: logInto(deps.log, 'migration panel'),
    },
    onProblem: (problem) => deps.log.warn(`migration panel: ${problem}`),
    ...(onClosed === undefined ? {} : { onClosed }),
  });
  return channel;
}

/**
 * Opens the panel of a migration beside the editor (without taking the focus). `onCancel` is
 * the panel's Cancel button: the command cancels the migration as its notification would.
 */
export function openMigrationPanel(deps: MigrationPanelDependencies, header: MigrationPanelHeader, onCancel: () => void): MigrationPanelHandle {
  let model: MigrationViewModel | undefined;
  let channel: PanelChannel<ToMigrationWebview, FromMigrationWebview> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPost = 0;

  const open = (): void => {
    const panel = createPanel(MIGRATION_PANEL, deps.extensionUri, `Migration: ${header.vm}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    // Closing the panel does not stop the migration: the notification still follows it.
    channel = attach(panel, deps, () => model, onCancel, () => {
      channel = undefined;
    });
  };
  const post = (): void => {
    timer = undefined;
    lastPost = Date.now();
    if (model !== undefined) channel?.post({ type: 'migration', model });
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
      if (channel === undefined) open();
      else channel.panel.reveal(undefined, false);
    },
  };
}

/** The one panel "Show Migrations" reuses: picking another stored migration replaces what it shows. */
let storedPanel: { readonly channel: PanelChannel<ToMigrationWebview, FromMigrationWebview>; model: MigrationViewModel } | undefined;

/**
 * Shows a stored migration (or anything that no longer runs) in the migration panel: nothing to
 * cancel. One panel serves every stored migration, brought to the front with the new model.
 */
export function showMigrationModel(deps: MigrationPanelDependencies, model: MigrationViewModel): void {
  if (storedPanel !== undefined) {
    storedPanel.model = model;
    storedPanel.channel.panel.title = `Migration: ${model.title}`;
    storedPanel.channel.post({ type: 'migration', model });
    storedPanel.channel.panel.reveal(undefined, false);
    return;
  }
  const panel = createPanel(MIGRATION_PANEL, deps.extensionUri, `Migration: ${model.title}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false });
  // The webview asks for the model (`ready`) only after this function returned: `entry` is set by then.
  const channel = attach(panel, deps, () => entry.model, () => undefined, () => {
    if (storedPanel === entry) storedPanel = undefined;
  });
  const entry = { channel, model };
  storedPanel = entry;
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
      restorePanelOptions(panel, deps.extensionUri);
      attach(panel, deps, () => model, () => undefined);
    },
  });
}
