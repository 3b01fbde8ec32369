/**
 * Builds what the results panel shows ({@link ResultsViewModel}) from the result store's records
 * and a run log. Pure: no VS Code, no file access — the panel reads, this decides, the webview
 * draws. The numbers are the core's own (experimentRuns, summarizeRun, compareCells), so the
 * panel, the CLI and the reports agree.
 */
import { basename, dirname } from 'node:path';
import { summarize } from '../../core/measuring/workloads/stats';
import { formatBitsPerSecond } from '../../core/measuring/workloads/text';
import type { RunLog } from '../../core/measuring/experiments/run-log';
import type { CellOutcome, ExperimentProgress } from '../../core/measuring/experiments/runner';
import { compareCells, experimentRuns, summarizeRun, type CellSummary, type Comparison } from '../../core/measuring/experiments/summary';
import { cellLabel } from '../../core/measuring/reports/report-input';
import { shortNumber } from '../../core/measuring/reports/svg-chart';
import type { ResultRecord } from '../../core/measuring/results/record';
import type { StoreProblem } from '../../core/measuring/results/store';
import type {
  BarChartView,
  BarPoint,
  BarSeries,
  CellHistory,
  CellRow,
  ExperimentOption,
  FactView,
  ImportedRow,
  NotDoneView,
  ResultsViewModel,
  RunProgressView,
  RunView,
} from '../../../webview/model';

/** What the user asked to see: an experiment, and a run of it (absent: the newest, following new runs). */
export interface Selection {
  readonly experiment?: string;
  readonly runId?: string;
}

/** A selection checked against the store: what will actually be shown. */
export interface ResolvedSelection {
  readonly experiment: string | undefined;
  readonly runId: string | undefined;
  /** The newest run is shown because no run was picked: a newer run replaces it. */
  readonly followsLatest: boolean;
}

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

const ACCEL_NAMES: Readonly<Record<string, string>> = { kvm: 'KVM', tcg: 'TCG' };

const SLIRP_NOTE =
  'QEMU user networking: its throughput is bounded by SLIRP, so iperf compares SLIRP more than the NICs; use a bridge network to compare virtio and e1000.';

/** Every experiment: the lab's, in its order, then those only the store knows, by name. */
export function experimentNames(records: readonly ResultRecord[], labExperiments: readonly string[]): string[] {
  const stored = [...new Set(records.flatMap((r) => (r.experiment === undefined ? [] : [r.experiment])))].filter((e) => !labExperiments.includes(e)).sort();
  return [...labExperiments, ...stored];
}

/**
 * What to show for a wish: the experiment asked for if it exists (else the first with a stored
 * run, else the lab's first), and the run asked for if it is one of that experiment's (else the
 * newest, following).
 */
export function resolveSelection(records: readonly ResultRecord[], labExperiments: readonly string[], wanted: Selection): ResolvedSelection {
  const names = experimentNames(records, labExperiments);
  const experiment =
    (wanted.experiment !== undefined && names.includes(wanted.experiment) ? wanted.experiment : undefined) ??
    names.find((name) => experimentRuns(records, name).length > 0) ??
    names[0];
  if (experiment === undefined) return { experiment: undefined, runId: undefined, followsLatest: true };
  const runs = experimentRuns(records, experiment);
  const pinned = wanted.experiment === experiment && wanted.runId !== undefined && runs.some((r) => r.runId === wanted.runId);
  return { experiment, runId: pinned ? wanted.runId : runs[0]?.runId, followsLatest: !pinned };
}

/** A value with its unit, for people: `2.52k events/s`, `21.1 Gbit/s`. */
export function formatValue(value: number, unit: string): string {
  return unit === 'bit/s' ? formatBitsPerSecond(value) : `${shortNumber(value)} ${unit}`;
}

/** `2026-01-05T14:03:27.120Z` → `2026-01-05 14:03 UTC`. */
export function formatStarted(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

function accelName(cell: CellSummary): string {
  const accel = cell.accel ?? cell.accelAsked;
  return accel === undefined ? 'guest' : (ACCEL_NAMES[accel] ?? accel);
}

/** The x-axis group of a cell: `host`, or the guest's accelerator in effect (`KVM`, `TCG`). */
export function groupOf(cell: CellSummary): string {
  return cell.target === 'host' ? 'host' : accelName(cell);
}

/** The dataset of a cell: `host`, or the guest's NIC (`virtio`, `e1000`). */
export function seriesOf(cell: CellSummary): string {
  return cell.target === 'host' ? 'host' : (cell.nic ?? 'guest');
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * The comparisons of {@link compareCells}, worded so each says what was held fixed when the
 * matrix has more than one value of it: KVM vs TCG per NIC ("KVM 9.6× faster than TCG
 * (virtio)"), virtio vs e1000 per accelerator, and the host against each guest configuration.
 */
export function comparisonsOf(cells: readonly CellSummary[]): Comparison[] {
  const guests = cells.filter((c) => c.target === 'guest');
  const nics = unique(guests.map((c) => c.nic));
  const accels = unique(guests.map((c) => c.accel));
  const accelComparisons = nics.flatMap((nic) =>
    compareCells(guests.filter((c) => c.nic === nic))
      .filter((c) => c.kind === 'accel')
      .map((c) => (nics.length > 1 ? { ...c, label: `${c.label} (${nic ?? '?'})` } : c)),
  );
  const nicComparisons = accels.flatMap((accel) =>
    compareCells(guests.filter((c) => c.accel === accel))
      .filter((c) => c.kind === 'nic')
      .map((c) => (accels.length > 1 ? { ...c, label: `${c.label} (${ACCEL_NAMES[accel ?? ''] ?? accel ?? '?'})` } : c)),
  );
  return [...accelComparisons, ...nicComparisons, ...compareCells(cells).filter((c) => c.kind === 'host-vs-guest')];
}

function chartId(benchmark: string): string {
  return `bar-${benchmark.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function barPoint(cell: CellSummary): BarPoint {
  const s = cell.summary;
  return { cell: cell.cell, median: s.median, min: s.min, max: s.max, count: s.count, outliers: cell.outliers.length };
}

/** The grouped bar chart of each benchmark of a run: groups by accelerator, a series per NIC. */
export function barCharts(cells: readonly CellSummary[], comparisons: readonly Comparison[]): BarChartView[] {
  return unique(cells.map((c) => c.benchmark)).map((benchmark) => {
    const mine = cells.filter((c) => c.benchmark === benchmark);
    const first = mine[0] as CellSummary;
    // The host first: it is the reference every guest is compared with.
    const ordered = [...mine.filter((c) => c.target === 'host'), ...mine.filter((c) => c.target !== 'host')];
    const groups = unique(ordered.map(groupOf));
    const series: BarSeries[] = unique(ordered.map(seriesOf)).map((name) => ({
      name,
      points: groups.map((group) => {
        const cell = ordered.find((c) => groupOf(c) === group && seriesOf(c) === name);
        return cell === undefined ? null : barPoint(cell);
      }),
    }));
    const mineCompared = comparisons.filter((c) => c.benchmark === benchmark);
    return {
      id: chartId(benchmark),
      benchmark,
      title: `${benchmark}: ${first.metric.name}`,
      unit: first.metric.unit,
      higherIsBetter: first.metric.higherIsBetter,
      groups,
      series,
      ratios: mineCompared.filter((c) => c.kind !== 'host-vs-guest').map((c) => c.label),
      hostRatios: mineCompared.filter((c) => c.kind === 'host-vs-guest').map((c) => c.label),
    };
  });
}

/** The table of medians: one row per cell, in plan order. */
export function cellRows(cells: readonly CellSummary[]): CellRow[] {
  return cells.map((c) => {
    const s = c.summary;
    return {
      cell: c.cell,
      benchmark: c.benchmark,
      where: cellLabel(c),
      median: formatValue(s.median, c.metric.unit),
      cv: s.cv === undefined ? '–' : `${(s.cv * 100).toFixed(1)} %`,
      count: s.count,
      range: `${shortNumber(s.min)}–${shortNumber(s.max)}`,
      outliers: c.outliers.length,
      outlierValues: c.outliers.map((i) => shortNumber(s.values[i] ?? Number.NaN)).join(', '),
    };
  });
}

/** Where the numbers come from, as the Markdown report's environment table says it. */
export function factsOf(records: readonly ResultRecord[], labPath: string): FactView[] {
  const first = records[0]?.metadata;
  if (first === undefined) return [];
  const guest = records.find((r) => r.metadata.guest !== undefined)?.metadata.guest;
  const tools = Object.entries(records.reduce<Record<string, string>>((all, r) => ({ ...all, ...(r.metadata.toolVersions ?? {}) }), {}))
    .map(([tool, version]) => `${tool} ${version}`)
    .join(', ');
  const facts: FactView[] = [
    { name: 'Host CPU', value: first.hostCpu ?? 'unknown' },
    { name: 'Host kernel', value: records.find((r) => r.target === 'host')?.metadata.kernel ?? first.kernel ?? 'unknown' },
    { name: 'QEMU', value: first.qemuVersion ?? 'unknown' },
    {
      name: 'Guest',
      value:
        guest === undefined
          ? 'none measured'
          : `${guest.cpus ?? '?'} vCPU, ${Math.round((guest.memoryBytes ?? 0) / 1024 ** 2)} MiB, ${guest.machine ?? '?'}, image ${guest.image ?? '?'}`,
    },
    { name: 'Tools', value: tools === '' ? 'unknown' : tools },
    { name: 'Lab file', value: `${basename(labPath)} (sha256 ${first.labFileHash?.slice(0, 12) ?? '?'}, git ${first.gitCommit?.slice(0, 10) ?? 'none'})` },
  ];
  return facts;
}

/** One run of an experiment, or undefined when it has no stored record. */
export function runView(records: readonly ResultRecord[], experiment: string, runId: string, runLog: RunLog | undefined, labPath: string): RunView | undefined {
  const mine = records.filter((r) => r.experiment === experiment && r.metadata.runId === runId);
  if (mine.length === 0) return undefined;
  const cells = summarizeRun(records, experiment, runId);
  const comparisons = comparisonsOf(cells);
  const started = experimentRuns(records, experiment).find((r) => r.runId === runId)?.started ?? (mine[0] as ResultRecord).timestamp;
  const network = mine.find((r) => r.metadata.network !== undefined)?.metadata.network ?? (runLog?.runId === runId ? runLog.network : undefined);
  const measuresIperf = cells.some((c) => c.benchmark === 'iperf' || c.benchmark === 'iperf3');
  const log = runLog?.runId === runId ? runLog : undefined;
  const notDone: NotDoneView[] = (log?.notDone ?? []).map((n) => ({ cell: n.cell, status: n.status, reason: n.reason }));
  return {
    experiment,
    runId,
    started,
    ...(network === undefined ? {} : { network }),
    ...(network?.includes('SLIRP') === true && measuresIperf ? { networkNote: SLIRP_NOTE } : {}),
    hasRunLog: log !== undefined,
    charts: barCharts(cells, comparisons),
    table: cellRows(cells),
    notDone,
    facts: factsOf(mine, labPath),
  };
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

/** Seconds left, for people: `about 40 s left`, `about 12 min left`, `about 2 h 5 min left`. */
export function formatEta(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** A cell that ended without measurements, for the panel; undefined for a measured cell. */
export function notDoneOf(outcome: CellOutcome): NotDoneView | undefined {
  return outcome.status === 'done' ? undefined : { cell: outcome.cell.id, status: outcome.status, reason: outcome.reason };
}

/** The progress of a run going on, for the panel. */
export function progressView(experiment: string, progress: ExperimentProgress, notDone: readonly NotDoneView[]): RunProgressView {
  const eta = formatEta(progress.etaSeconds);
  return {
    experiment,
    done: progress.done,
    planned: progress.planned,
    ...(eta === undefined ? {} : { eta }),
    message: progress.message,
    notDone: [...notDone],
  };
}
