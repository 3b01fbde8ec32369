/**
 * Builds what the results panel shows ({@link ResultsViewModel}) from the result store's records
 * and a run log. Pure: no VS Code, no file access — the panel reads, this decides, the webview
 * draws. The numbers are the core's own (experimentRuns, summarizeRun, compareCells), so the
 * panel, the CLI and the reports agree.
 */
import { basename, dirname } from 'node:path';
import { summarize } from '../../../core/measuring/workloads/stats';
import type { RunLog } from '../../../core/measuring/experiments/run-log';
import { experimentRuns, summarizeRun } from '../../../core/measuring/experiments/summary';
import { cellLabel } from '../../../core/measuring/reports/report-input';
import type { ResultRecord } from '../../../core/measuring/results/record';
import type { StoreProblem } from '../../../core/measuring/results/store';
import type { CellHistory, ExperimentOption, ImportedRow, ResultsViewModel } from '../../../../webview/results/model';
import { formatValue, runView, unique } from './run-view';
import { experimentNames, type ResolvedSelection } from './selection';

/** Everything {@link buildViewModel} needs. */
export interface ViewModelInput {
  readonly labPath: string;
  /** The experiments the lab file names, in its order. */
  readonly labExperiments: readonly string[];
  readonly records: readonly ResultRecord[];
  readonly problems: readonly StoreProblem[];
  readonly selection: ResolvedSelection;
  /** The log of the selected run, when there is one. */
  readonly runLog: RunLog | undefined;
  /** Several lab files are open: name the folder too. */
  readonly showFolder?: boolean;
}

/** At most this many runs in a cell's history (the newest). */
export const HISTORY_RUNS = 100;

/** `2026-01-05T14:03:27.120Z` → `2026-01-05 14:03 UTC`. */
export function formatStarted(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/** Each cell's median over the runs of an experiment, oldest run first (the newest {@link HISTORY_RUNS}). */
export function cellHistories(records: readonly ResultRecord[], experiment: string): CellHistory[] {
  const runs = experimentRuns(records, experiment).slice(0, HISTORY_RUNS).reverse();
  const histories = new Map<string, { label: string; benchmark: string; unit: string; points: CellHistory['points'][number][] }>();
  for (const run of runs) {
    for (const cell of summarizeRun(records, experiment, run.runId)) {
      const history = histories.get(cell.cell) ?? { label: `${cell.benchmark} — ${cellLabel(cell)}`, benchmark: cell.benchmark, unit: cell.metric.unit, points: [] };
      const s = cell.summary;
      history.points.push({ runId: run.runId, started: run.started, median: s.median, min: s.min, max: s.max, count: s.count });
      histories.set(cell.cell, history);
    }
  }
  return [...histories.entries()].map(([cell, h]) => ({ cell, ...h }));
}

/** Imported results (records of no experiment), one row per benchmark, label and unit. */
export function importedRows(records: readonly ResultRecord[]): ImportedRow[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const record of records) {
    if (record.experiment !== undefined) continue;
    const key = JSON.stringify([record.benchmark, record.label ?? '', record.metric.unit]);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].map((list) => {
    const first = list[0] as ResultRecord;
    const files = unique(list.flatMap((r) => (r.metadata.source === undefined ? [] : [basename(r.metadata.source.file)])));
    return {
      benchmark: first.benchmark,
      label: first.label ?? '',
      count: list.length,
      median: formatValue(summarize(list.map((r) => r.metric.value)).median, first.metric.unit),
      files: files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', '),
    };
  });
}

function experimentOptions(records: readonly ResultRecord[], labExperiments: readonly string[]): ExperimentOption[] {
  return experimentNames(records, labExperiments).map((name) => ({
    name,
    inLab: labExperiments.includes(name),
    runs: experimentRuns(records, name).map((run, index) => ({
      runId: run.runId,
      started: run.started,
      label: `${formatStarted(run.started)} · ${run.runId.slice(0, 8)}${index === 0 ? ' (latest)' : ''}`,
    })),
  }));
}

function hintFor(experiment: string | undefined, hasRun: boolean, hasImports: boolean): string | undefined {
  if (hasRun) return undefined;
  if (experiment === undefined) {
    return hasImports
      ? undefined
      : 'No results yet. Add an experiment to the lab file and run it ("QEMU Lab: Run Experiment"), or import saved benchmark output ("QEMU Lab: Import Benchmark Output…").';
  }
  return `Experiment "${experiment}" has no stored run yet. Run it: "QEMU Lab: Run Experiment", or Run above it in the lab file.`;
}

/** The whole model of the panel. */
export function buildViewModel(input: ViewModelInput): ResultsViewModel {
  const { experiment, runId, followsLatest } = input.selection;
  const run = experiment !== undefined && runId !== undefined ? runView(input.records, experiment, runId, input.runLog, input.labPath) : undefined;
  const imported = importedRows(input.records);
  const hint = hintFor(experiment, run !== undefined, imported.length > 0);
  return {
    labPath: input.labPath,
    labName: input.showFolder === true ? `${basename(dirname(input.labPath))}/${basename(input.labPath)}` : basename(input.labPath),
    experiments: experimentOptions(input.records, input.labExperiments),
    ...(experiment === undefined ? {} : { experiment }),
    ...(runId === undefined ? {} : { runId }),
    followsLatest,
    ...(run === undefined ? {} : { run }),
    history: experiment === undefined ? [] : cellHistories(input.records, experiment),
    imported,
    problems: input.problems.map((p) => `line ${p.line}: ${p.message}`),
    ...(hint === undefined ? {} : { hint }),
  };
}
