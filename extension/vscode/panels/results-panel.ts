import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { readRunLog } from '../../core/measuring/experiments/run-log';
import type { CellOutcome, ExperimentProgress } from '../../core/measuring/experiments/runner';
import { reportInput } from '../../core/measuring/reports/report-input';
import { readResults, type StoreContents } from '../../core/measuring/results/store';
import { isRecord, isString } from '../../../webview/guards';
import type { NotDoneView, ResultsViewModel, RunProgressView } from '../../../webview/model';
import { extensionEndpoint, type FromWebview, type MessageHandler, type ToWebview } from '../../../webview/protocol';
import type { LabFiles } from '../lab-files';
import { writeFilesAtomically, type OutputFile } from '../../core/infrastructure/files/atomic-write';
import { EXPORT_FILTERS, defaultExportPath, pngBytes, reportFiles, type ExportKind } from './exports';
import { makeNonce, panelHtml } from './panel-html';
import { buildViewModel, notDoneOf, progressView, resolveSelection, type ResolvedSelection, type Selection } from './view-model';

/** The webview panel type (also in package.json's `onWebviewPanel` activation event). */
export const RESULTS_VIEW_TYPE = 'qemuLab.results';

/** What the panels need, passed in by the composition root. */
export interface ResultsPanelsDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly labs: LabFiles;
}

/** An experiment run from the editor, as the panel of its lab follows it. */
export interface LiveRun {
  progress(progress: ExperimentProgress): void;
  /** A cell ended: its results are in the store (or it was skipped/failed). */
  cell(outcome: CellOutcome): void;
  /** The run is over (finished, failed or cancelled). */
  end(): void;
}

const REFRESH_DELAY_MS = 150;

/**
 * The results panels: one per lab file, reused (revealed) when asked for again. Owns every
 * panel's watcher and listeners, and the serializer that brings the panels back after a reload.
 */
export class ResultsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();
  /** The progress of the run going on in each lab (one at a time per lab). */
  private readonly runs = new Map<string, RunProgressView>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ResultsPanelsDependencies) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
      deps.labs.onDidChange(() => {
        for (const panel of this.panels.values()) panel.scheduleRefresh();
      }),
    );
  }

  /** Shows the results of a lab file: its panel, revealed, or a new one. */
  show(labPath: string, selection?: Selection, options: { preserveFocus?: boolean } = {}): ResultsPanel {
    const existing = this.panels.get(labPath);
    if (existing !== undefined) {
      if (selection !== undefined) existing.select(selection);
      existing.reveal(options.preserveFocus === true);
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      this.title(labPath),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus === true },
      this.webviewOptions(),
    );
    return this.adopt(labPath, webviewPanel, selection ?? {});
  }

  /** The open panel of a lab file, if any. */
  get(labPath: string): ResultsPanel | undefined {
    return this.panels.get(labPath);
  }

  /**
   * Starts following an experiment run of a lab: its panel shows the progress and refreshes as
   * cells end. Undefined when the lab has a run going on already.
   */
  beginRun(labPath: string, experiment: string): LiveRun | undefined {
    if (this.runs.has(labPath)) return undefined;
    const notDone: NotDoneView[] = [];
    let progress: RunProgressView = { experiment, done: 0, planned: 0, message: 'starting', notDone: [] };
    const publish = () => {
      this.runs.set(labPath, progress);
      this.panels.get(labPath)?.postProgress(progress);
    };
    publish();
    let ended = false;
    return {
      progress: (p) => {
        if (ended) return;
        progress = progressView(experiment, p, notDone);
        publish();
      },
      cell: (outcome) => {
        if (ended) return;
        const missed = notDoneOf(outcome);
        if (missed !== undefined) {
          notDone.push(missed);
          progress = { ...progress, notDone: [...notDone] };
          publish();
        }
        this.panels.get(labPath)?.scheduleRefresh();
      },
      end: () => {
        if (ended) return;
        ended = true;
        this.runs.delete(labPath);
        const panel = this.panels.get(labPath);
        panel?.postProgress(undefined);
        panel?.scheduleRefresh();
      },
    };
  }

  /** Releases every panel (their webviews stay for VS Code to restore after a reload) and the serializer. */
  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.release();
    this.panels.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      // Only the bundle: the webview can load nothing else of the extension, nor of the workspace.
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')],
    };
  }

  private title(labPath: string): string {
    return `Results: ${basename(labPath)}`;
  }

  private adopt(labPath: string, webviewPanel: vscode.WebviewPanel, selection: Selection): ResultsPanel {
    const panel = new ResultsPanel(labPath, webviewPanel, selection, {
      extensionUri: this.deps.extensionUri,
      log: this.deps.log,
      labs: this.deps.labs,
      progress: () => this.runs.get(labPath),
      onDisposed: () => {
        if (this.panels.get(labPath) === panel) this.panels.delete(labPath);
      },
    });
    this.panels.set(labPath, panel);
    return panel;
  }

  /** After a reload: the webview's saved state names the lab file; without one, the panel closes. */
  private async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const model = isRecord(state) && isRecord(state.model) ? state.model : undefined;
    const labPath = model !== undefined && isString(model.labPath) ? model.labPath : undefined;
    if (labPath === undefined || this.panels.has(labPath)) {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = this.webviewOptions();
    webviewPanel.title = this.title(labPath);
    const experiment = isString(model?.experiment) ? model.experiment : undefined;
    const runId = model?.followsLatest === false && isString(model.runId) ? model.runId : undefined;
    this.adopt(labPath, webviewPanel, { ...(experiment === undefined ? {} : { experiment }), ...(runId === undefined ? {} : { runId }) });
  }
}

interface ResultsPanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly labs: LabFiles;
  /** The progress of a run of this lab going on, if any. */
  readonly progress: () => RunProgressView | undefined;
  readonly onDisposed: () => void;
}

/**
 * The results of one lab file in a webview panel: reads the lab folder's result store, shows the
 * selected run (following the newest unless one was picked), refreshes when results.jsonl or a
 * run log changes, and writes the exports the webview asks for.
 */
export class ResultsPanel implements vscode.Disposable {
  private readonly labDirectory: string;
  private readonly endpoint: MessageHandler<FromWebview, ToWebview>;
  private readonly disposables: vscode.Disposable[] = [];
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
    const log = deps.log;
    this.endpoint = extensionEndpoint(
      (message) => this.handle(message),
      (message) => panel.webview.postMessage(message),
      (problem) => log.warn(`results panel (${basename(labPath)}): ${problem}`),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.labDirectory), '.qemu-lab/results/{results.jsonl,runs/*.json}'));
    const refresh = () => this.scheduleRefresh();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(refresh),
      watcher.onDidChange(refresh),
      watcher.onDidDelete(refresh),
      panel.webview.onDidReceiveMessage((data: unknown) => this.endpoint.receive(data)),
      panel.onDidDispose(() => this.release()),
    );
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'qemu-lab.svg');
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js'));
    panel.webview.html = panelHtml({ cspSource: panel.webview.cspSource, scriptUri: scriptUri.toString(), nonce: makeNonce(), title: panel.title });
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
      this.endpoint.post({ type: 'show', model: this.model });
    } catch (error) {
      this.deps.log.error(`results panel (${basename(this.labPath)}): could not refresh: ${describeError(error)}`);
    }
  }

  /** Shows (or, with undefined, hides) the progress of a run going on. */
  postProgress(progress: RunProgressView | undefined): void {
    this.endpoint.post(progress === undefined ? { type: 'progress' } : { type: 'progress', progress });
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
    this.endpoint.dispose();
    this.deps.onDisposed();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The webview (re)loaded: when hidden and shown again it starts from its saved state.
        if (this.model !== undefined) this.endpoint.post({ type: 'show', model: this.model });
        else await this.refresh();
        this.postProgress(this.deps.progress());
        return;
      case 'selectExperiment':
        this.select({ experiment: message.name });
        return;
      case 'selectRun':
        this.select({ experiment: this.shown.experiment, runId: message.runId });
        return;
      case 'runExperiment':
        await vscode.commands.executeCommand('qemuLab.runExperiment', { kind: 'experimentRef', labPath: this.labPath, name: message.name });
        return;
      case 'exportCsv':
        await this.exportReport('csv');
        return;
      case 'exportReport':
        await this.exportReport(message.format);
        return;
      case 'exportPng':
        await this.exportPng(message.chartId, message.dataUrl);
        return;
      case 'log':
        if (message.level === 'error') this.deps.log.error(`results webview: ${message.message}`);
        else this.deps.log.warn(`results webview: ${message.message}`);
        return;
    }
  }

  /** Asks where to save; undefined when the user cancels. Only local files: the lab runs here. */
  private async askTarget(kind: ExportKind, chartId?: string): Promise<string | undefined> {
    const experiment = this.shown.experiment ?? 'results';
    const uri = await vscode.window.showSaveDialog({
      title: kind === 'png' ? 'Save Chart as PNG' : kind === 'csv' ? 'Export Raw Values as CSV' : `Save ${kind === 'md' ? 'Markdown' : 'HTML'} Report`,
      defaultUri: vscode.Uri.file(defaultExportPath(this.labDirectory, kind, experiment, this.shown.runId, chartId)),
      filters: EXPORT_FILTERS[kind],
      saveLabel: 'Save',
    });
    if (uri === undefined) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('QEMU Lab saves exports on this machine only: pick a local folder.');
      return undefined;
    }
    return uri.fsPath;
  }

  private async write(files: readonly OutputFile[], what: string): Promise<void> {
    const target = files[files.length - 1]?.path;
    if (target === undefined) return;
    try {
      await writeFilesAtomically(files);
    } catch (error) {
      this.deps.log.error(`${what}: could not write ${target}: ${describeError(error)}`);
      void vscode.window.showErrorMessage(`Could not save the ${what}: ${describeError(error)}`);
      return;
    }
    this.deps.log.info(`${what} written: ${files.map((f) => f.path).join(', ')}`);
    const choice = await vscode.window.showInformationMessage(`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} saved: ${vscode.workspace.asRelativePath(target)}`, 'Open');
    if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
  }

  private async exportReport(kind: 'csv' | 'md' | 'html'): Promise<void> {
    const { experiment, runId } = this.shown;
    if (experiment === undefined || runId === undefined) {
      void vscode.window.showInformationMessage('There is no run to export yet.');
      return;
    }
    const what = kind === 'csv' ? 'CSV of raw values' : `${kind === 'md' ? 'Markdown' : 'HTML'} report`;
    const target = await this.askTarget(kind);
    if (target === undefined) return;
    let files: OutputFile[];
    try {
      // Read again at export time: a run still going on may have added measurements since.
      const { records } = await readResults(this.labDirectory);
      const input = reportInput(records, experiment, this.labPath, await readRunLog(this.labDirectory, runId), runId);
      files = reportFiles(kind, input, target);
    } catch (error) {
      this.deps.log.error(`${what}: ${describeError(error)}`);
      void vscode.window.showErrorMessage(`Could not make the ${what}: ${describeError(error)}`);
      return;
    }
    await this.write(files, what);
  }

  private async exportPng(chartId: string, dataUrl: string): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = pngBytes(dataUrl);
    } catch (error) {
      this.deps.log.warn(`results panel: PNG of chart ${chartId} refused: ${describeError(error)}`);
      return;
    }
    const target = await this.askTarget('png', chartId);
    if (target === undefined) return;
    await this.write([{ path: target, content: bytes }], 'chart image');
  }
}
