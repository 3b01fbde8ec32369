/**
 * The results panels: one per lab file, reused (revealed) when asked for again. Owns every
 * panel, the progress of each lab's run going on, and the serializer that brings the panels
 * back after a reload.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CellOutcome, ExperimentProgress } from '../../../core/measuring/experiments/runner';
import type { NotDoneView, RunProgressView } from '../../../../webview/results/model';
import { isRecord, isString } from '../../../../webview/shared/guards';
import { notDoneOf, progressView } from '../../../presentation/panels/results/progress-view';
import type { Selection } from '../../../presentation/panels/results/selection';
import type { LabFiles } from '../../lab-files';
import { createPanel, restorePanelOptions } from '../shared/panel-channel';
import { RESULTS_PANEL, ResultsPanel } from './results-panel';

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

/** The results panels of the window. */
export class ResultsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();
  /** The progress of the run going on in each lab (one at a time per lab). */
  private readonly runs = new Map<string, RunProgressView>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ResultsPanelsDependencies) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESULTS_PANEL.viewType, {
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
    const webviewPanel = createPanel(RESULTS_PANEL, this.deps.extensionUri, this.title(labPath), { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus === true });
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
    restorePanelOptions(webviewPanel, this.deps.extensionUri);
    webviewPanel.title = this.title(labPath);
    const experiment = isString(model?.experiment) ? model.experiment : undefined;
    const runId = model?.followsLatest === false && isString(model.runId) ? model.runId : undefined;
    this.adopt(labPath, webviewPanel, { ...(experiment === undefined ? {} : { experiment }), ...(runId === undefined ? {} : { runId }) });
  }
}
