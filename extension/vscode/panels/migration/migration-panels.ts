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

/** A stored migration's panel, reused: picking another stored migration replaces what it shows. */
interface StoredPanel {
  readonly channel: PanelChannel<ToMigrationWebview, FromMigrationWebview>;
  model: MigrationViewModel;
}

/**
 * The migration panels of the window: one per migration started from the editor, the one panel
 * "Show Migrations" reuses, and the serializer that brings them back after a window reload.
 * Built once by the composition root; disposing it releases every panel's listeners and the
 * serializer, and leaves the panels to VS Code to restore.
 */
export class MigrationPanels implements vscode.Disposable {
  private readonly channels = new Set<PanelChannel<ToMigrationWebview, FromMigrationWebview>>();
  private stored: StoredPanel | undefined;
  private readonly serializer: vscode.Disposable;

  constructor(private readonly deps: MigrationPanelDependencies) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(MIGRATION_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
    });
  }

  /**
   * Opens the panel of a migration beside the editor (without taking the focus). `onCancel` is
   * the panel's Cancel button: the command cancels the migration as its notification would.
   */
  open(header: MigrationPanelHeader, onCancel: () => void): MigrationPanelHandle {
    let model: MigrationViewModel | undefined;
    let channel: PanelChannel<ToMigrationWebview, FromMigrationWebview> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastPost = 0;

    const open = (): void => {
      const panel = createPanel(MIGRATION_PANEL, this.deps.extensionUri, `Migration: ${header.vm}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      // Closing the panel does not stop the migration: the notification still follows it.
      channel = this.attach(panel, () => model, onCancel, () => {
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

  /**
   * Shows a stored migration (or anything that no longer runs) in the migration panel: nothing to
   * cancel. One panel serves every stored migration, brought to the front with the new model.
   */
  showStored(model: MigrationViewModel): void {
    const stored = this.stored;
    if (stored !== undefined) {
      stored.model = model;
      stored.channel.panel.title = `Migration: ${model.title}`;
      stored.channel.post({ type: 'migration', model });
      stored.channel.panel.reveal(undefined, false);
      return;
    }
    const panel = createPanel(MIGRATION_PANEL, this.deps.extensionUri, `Migration: ${model.title}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false });
    // The webview asks for the model (`ready`) only after this method returned: `entry` is set by then.
    const channel = this.attach(panel, () => entry.model, () => undefined, () => {
      if (this.stored === entry) this.stored = undefined;
    });
    const entry: StoredPanel = { channel, model };
    this.stored = entry;
  }

  /** Releases every panel's listeners and the serializer; the panels stay for VS Code to restore after a reload. */
  dispose(): void {
    for (const channel of [...this.channels]) channel.dispose();
    this.channels.clear();
    this.stored = undefined;
    this.serializer.dispose();
  }

  /** Sets a panel's page and message handling; returns its channel (released when the panel closes). */
  private attach(panel: vscode.WebviewPanel, current: () => MigrationViewModel | undefined, onCancel: () => void, onClosed?: () => void): PanelChannel<ToMigrationWebview, FromMigrationWebview> {
    const log = this.deps.log;
    const channel: PanelChannel<ToMigrationWebview, FromMigrationWebview> = new PanelChannel(panel, MIGRATION_PANEL, {
      extensionUri: this.deps.extensionUri,
      handlers: {
        ready: () => {
          const model = current();
          if (model !== undefined) channel.post({ type: 'migration', model });
        },
        cancelMigration: () => {
          log.info('migration panel: Cancel');
          onCancel();
        },
        log: logInto(log, 'migration panel'),
      },
      onProblem: (problem) => log.warn(`migration panel: ${problem}`),
      onClosed: () => {
        this.channels.delete(channel);
        onClosed?.();
      },
    });
    this.channels.add(channel);
    return channel;
  }

  /**
   * After a window reload, from the model the webview saved: the migration that fed it is gone,
   * so it shows what it had, without Cancel. (package.json lists `onWebviewPanel:qemuLab.migration`
   * in activationEvents.)
   */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = isRecord(state) && isMigrationViewModel(state.model) ? state.model : undefined;
    if (saved === undefined) {
      panel.dispose();
      return;
    }
    const model: MigrationViewModel = saved.state === 'running' ? { ...saved, state: 'failed', cancellable: false, status: `${saved.status} (the window reloaded while it ran: its end is in the log and the store)` } : saved;
    restorePanelOptions(panel, this.deps.extensionUri);
    this.attach(panel, () => model, () => undefined);
  }
}
