/**
 * The results of one lab file in a webview panel: reads the lab folder's result store, shows the
 * selected run (following the newest unless one was picked), refreshes when results.jsonl or a
 * run log changes, and writes the exports the webview asks for (results-exports.ts). Its page and
 * channel are every panel's (shared/panel-channel.ts) with the script dist/webview.js.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../../core/errors';
import { readRunLog } from '../../../core/measuring/experiments/run-log';
import { readResults, type StoreContents } from '../../../core/measuring/results/store';
import type { ResultsViewModel, RunProgressView } from '../../../../webview/results/model';
import { RESULTS_PROTOCOL, type FromResultsWebview, type ToResultsWebview } from '../../../../webview/results/protocol';
import { resolveSelection, type ResolvedSelection, type Selection } from '../../../presentation/panels/results/selection';
import { buildViewModel } from '../../../presentation/panels/results/view-model';
import type { LabFiles } from '../../lab-files';
import { logInto, PanelChannel, type PanelKind } from '../shared/panel-channel';
import { exportPng, exportReport, type ExportSource } from './results-exports';

/** The webview panel type (also in package.json's `onWebviewPanel` activation event). */
export const RESULTS_VIEW_TYPE = 'qemuLab.results';

/** The results panel's kind: its type, bundle and protocol. */
export const RESULTS_PANEL: PanelKind<ToResultsWebview, FromResultsWebview> = { viewType: RESULTS_VIEW_TYPE, bundle: 'webview.js', protocol: RESULTS_PROTOCOL };

const REFRESH_DELAY_MS = 150;

/** What one results panel needs from its owner (ResultsPanels). */
export interface ResultsPanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly labs: LabFiles;
  /** The progress of a run of this lab going on, if any. */
  readonly progress: () => RunProgressView | undefined;
  readonly onDisposed: () => void;
}

/** One lab file's results panel. */
export class ResultsPanel implements vscode.Disposable {
  private readonly labDirectory: string;
  private readonly channel: PanelChannel<ToResultsWebview, FromResultsWebview>;
  private model: ResultsViewModel | undefined;
  private shown: ResolvedSelection = { experiment: undefined, runId: undefined, followsLatest: true };
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    readonly labPath: string,
    private readonly panel: vscode.WebviewPanel,
    private selection: Selection,
    private readonly deps: ResultsPanelDependencies,
  ) {
    this.labDirectory = dirname(labPath);
    const source = (): ExportSource => ({ labPath, labDirectory: this.labDirectory, shown: this.shown });
    this.channel = new PanelChannel(panel, RESULTS_PANEL, {
      extensionUri: deps.extensionUri,
      handlers: {
        ready: async () => {
          // The webview (re)loaded: when hidden and shown again it starts from its saved state.
          if (this.model !== undefined) this.channel.post({ type: 'show', model: this.model });
          else await this.refresh();
          this.postProgress(this.deps.progress());
        },
        selectExperiment: (message) => this.select({ experiment: message.name }),
        selectRun: (message) => this.select({ experiment: this.shown.experiment, runId: message.runId }),
        runExperiment: async (message) => {
          await vscode.commands.executeCommand('qemuLab.runExperiment', { kind: 'experimentRef', labPath: this.labPath, name: message.name });
        },
        exportCsv: () => exportReport(deps.log, source(), 'csv'),
        exportReport: (message) => exportReport(deps.log, source(), message.format),
        exportPng: (message) => exportPng(deps.log, source(), message.chartId, message.dataUrl),
        log: logInto(deps.log, 'results webview'),
      },
      onProblem: (problem) => deps.log.warn(`results panel (${basename(labPath)}): ${problem}`),
      onClosed: () => this.release(),
    });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.labDirectory), '.qemu-lab/results/{results.jsonl,runs/*.json}'));
    const refresh = () => this.scheduleRefresh();
    this.channel.own(watcher, watcher.onDidCreate(refresh), watcher.onDidChange(refresh), watcher.onDidDelete(refresh));
    void this.refresh();
  }

  /** Brings the panel to the front. */
  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Shows another experiment or run. */
  select(selection: Selection): void {
    this.selection = selection;
    void this.refresh();
  }

  /** Refreshes soon: many changes in a burst (appends during a run) make one refresh. */
  scheduleRefresh(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Reads the store again and sends the webview the new model. Never rejects: a failure is logged. */
  async refresh(): Promise<void> {
    if (this.disposed) return;
    const generation = ++this.generation;
    try {
      const labs = await this.deps.labs.labs();
      const lab = labs.find((l) => l.path === this.labPath);
      const labExperiments = lab === undefined ? [] : [...lab.experiments.keys()];
      let store: Pick<StoreContents, 'records' | 'problems'>;
      try {
        store = await readResults(this.labDirectory);
      } catch (error) {
        // An unreadable store is shown as a problem, with whatever else there is to show.
        store = { records: [], problems: [{ line: 0, message: describeError(error) }] };
      }
      const selection = resolveSelection(store.records, labExperiments, this.selection);
      const runLog = selection.runId === undefined ? undefined : await readRunLog(this.labDirectory, selection.runId);
      if (generation !== this.generation || this.disposed) return; // a newer refresh is under way
      this.shown = selection;
      this.model = buildViewModel({
        labPath: this.labPath,
        labExperiments,
        records: store.records,
        problems: store.problems,
        selection,
        runLog,
        showFolder: labs.filter((l) => basename(l.path) === basename(this.labPath)).length > 1,
      });
      this.channel.post({ type: 'show', model: this.model });
    } catch (error) {
      this.deps.log.error(`results panel (${basename(this.labPath)}): could not refresh: ${describeError(error)}`);
    }
  }

  /** Shows (or, with undefined, hides) the progress of a run going on. */
  postProgress(progress: RunProgressView | undefined): void {
    this.channel.post(progress === undefined ? { type: 'progress' } : { type: 'progress', progress });
  }

  /** Closes the panel and releases what it holds. */
  dispose(): void {
    this.release();
    this.panel.dispose();
  }

  /**
   * Releases the watcher, the listeners and the timer, but leaves the webview panel to VS Code:
   * at deactivation (a window reload) the panel must stay open so the serializer can restore it.
   */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.channel.dispose();
    this.deps.onDisposed();
  }
}
