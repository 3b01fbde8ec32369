/**
 * What the results panel shows, as plain JSON: built in the extension host from the result store
 * (extension/presentation/panels/results/), sent to the webview, drawn there. No function, class
 * or Date crosses; numbers are finite; absent things are absent properties (JSON drops
 * `undefined`). Every text meant for people is already worded here, so both sides agree.
 */
import { arrayOf, isBoolean, isNumber, isString, objectOf, oneOf, optional, nullable, type Check } from '../shared/guards';

/** One bar: the median of a cell, whiskers min–max. */
export interface BarPoint {
  /** The cell id (`guest/kvm/virtio/sysbench-cpu`). */
  readonly cell: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Measured runs. */
  readonly count: number;
  /** Runs outside Tukey's fences (flagged, not dropped). */
  readonly outliers: number;
}

/** A dataset of a grouped bar chart: one bar per group, null where the combination was not measured. */
export interface BarSeries {
  /** `virtio`, `e1000`, `host`. */
  readonly name: string;
  readonly points: readonly (BarPoint | null)[];
}

/** The grouped bar chart of one benchmark in one run. */
export interface BarChartView {
  /** Unique in the panel: what the PNG export names. */
  readonly id: string;
  readonly benchmark: string;
  /** `sysbench-cpu: events per second`. */
  readonly title: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  /** The x axis: `host`, `KVM`, `TCG`. */
  readonly groups: readonly string[];
  readonly series: readonly BarSeries[];
  /** Written on the chart and under it: "KVM 9.6× faster than TCG". */
  readonly ratios: readonly string[];
  /** Host against each guest configuration: under the chart only. */
  readonly hostRatios: readonly string[];
}

/** A row of the table of medians. */
export interface CellRow {
  readonly cell: string;
  readonly benchmark: string;
  /** `guest · kvm · virtio`, `host`. */
  readonly where: string;
  /** Formatted with the unit: `2.52k events/s`. */
  readonly median: string;
  /** `1.2 %`, or `–` when the mean is 0. */
  readonly cv: string;
  readonly count: number;
  /** `2.49k–2.55k`. */
  readonly range: string;
  readonly outliers: number;
  /** The outlying values, formatted (`1.20k, 3.90k`); empty when none. */
  readonly outlierValues: string;
}

/** A cell that was planned but not measured, with why (from the run log). */
export interface NotDoneView {
  readonly cell: string;
  readonly status: 'skipped' | 'failed';
  readonly reason: string;
}

/** A fact about where the numbers come from: `QEMU` → `8.2.2`. */
export interface FactView {
  readonly name: string;
  readonly value: string;
}

/** One experiment run, as the panel shows it. */
export interface RunView {
  readonly experiment: string;
  readonly runId: string;
  /** ISO 8601: the first stored measurement. */
  readonly started: string;
  /** The network the guest used, in words; absent when no record says. */
  readonly network?: string;
  /** A warning about what the network means for the numbers (user networking and iperf). */
  readonly networkNote?: string;
  /** False while the run goes on, or when it was interrupted: then no run log says what was not measured. */
  readonly hasRunLog: boolean;
  readonly charts: readonly BarChartView[];
  readonly table: readonly CellRow[];
  readonly notDone: readonly NotDoneView[];
  readonly facts: readonly FactView[];
}

/** A point of a cell's history: its median in one run. */
export interface HistoryPoint {
  readonly runId: string;
  readonly started: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** The medians of one cell over the runs of its experiment, oldest first. */
export interface CellHistory {
  readonly cell: string;
  /** `sysbench-cpu — guest · kvm · virtio`. */
  readonly label: string;
  readonly benchmark: string;
  readonly unit: string;
  readonly points: readonly HistoryPoint[];
}

/** An entry of the run dropdown. */
export interface RunOption {
  readonly runId: string;
  readonly started: string;
  /** `2026-01-05 14:03 UTC (latest)`. */
  readonly label: string;
}

/** An entry of the experiment dropdown. */
export interface ExperimentOption {
  readonly name: string;
  /** Newest first. */
  readonly runs: readonly RunOption[];
  /** Named by the lab file (false: only in the store, e.g. renamed since). */
  readonly inLab: boolean;
}

/** Imported results (no experiment) of one benchmark and label. */
export interface ImportedRow {
  readonly benchmark: string;
  readonly label: string;
  readonly count: number;
  readonly median: string;
  /** The files they came from, comma-separated (shortened when many). */
  readonly files: string;
}

/** Everything the panel shows for one lab file. */
export interface ResultsViewModel {
  readonly labPath: string;
  /** `qemu-lab.yaml` (with its folder when that helps). */
  readonly labName: string;
  readonly experiments: readonly ExperimentOption[];
  /** The experiment shown; absent when the lab has none and the store holds none. */
  readonly experiment?: string;
  /** The run shown; absent when the experiment has no stored run. */
  readonly runId?: string;
  /** True when the newest run is shown and a newer one will replace it as it lands. */
  readonly followsLatest: boolean;
  readonly run?: RunView;
  /** Every cell of the experiment over its runs. */
  readonly history: readonly CellHistory[];
  readonly imported: readonly ImportedRow[];
  /** Lines of the store that could not be read: `line 7: not valid JSON (corrupt line); skipped`. */
  readonly problems: readonly string[];
  /** What to do when there is nothing to show yet. */
  readonly hint?: string;
}

/** An experiment being run from the editor: shown above the results while it lasts. */
export interface RunProgressView {
  readonly experiment: string;
  readonly done: number;
  readonly planned: number;
  /** `about 3 min left`; absent before the first measured run. */
  readonly eta?: string;
  readonly message: string;
  /** Cells skipped or failed so far (the run log says it at the end). */
  readonly notDone: readonly NotDoneView[];
}

const isBarPoint: Check<BarPoint> = objectOf({ cell: isString, median: isNumber, min: isNumber, max: isNumber, count: isNumber, outliers: isNumber });
const isBarSeries: Check<BarSeries> = objectOf({ name: isString, points: arrayOf(nullable(isBarPoint)) });
const isBarChartView: Check<BarChartView> = objectOf({
  id: isString,
  benchmark: isString,
  title: isString,
  unit: isString,
  higherIsBetter: isBoolean,
  groups: arrayOf(isString),
  series: arrayOf(isBarSeries),
  ratios: arrayOf(isString),
  hostRatios: arrayOf(isString),
});
const isCellRow: Check<CellRow> = objectOf({
  cell: isString,
  benchmark: isString,
  where: isString,
  median: isString,
  cv: isString,
  count: isNumber,
  range: isString,
  outliers: isNumber,
  outlierValues: isString,
});
const isNotDoneView: Check<NotDoneView> = objectOf({ cell: isString, status: oneOf('skipped', 'failed'), reason: isString });
const isFactView: Check<FactView> = objectOf({ name: isString, value: isString });
const isRunView: Check<RunView> = objectOf({
  experiment: isString,
  runId: isString,
  started: isString,
  network: optional(isString),
  networkNote: optional(isString),
  hasRunLog: isBoolean,
  charts: arrayOf(isBarChartView),
  table: arrayOf(isCellRow),
  notDone: arrayOf(isNotDoneView),
  facts: arrayOf(isFactView),
});
const isHistoryPoint: Check<HistoryPoint> = objectOf({ runId: isString, started: isString, median: isNumber, min: isNumber, max: isNumber, count: isNumber });
const isCellHistory: Check<CellHistory> = objectOf({ cell: isString, label: isString, benchmark: isString, unit: isString, points: arrayOf(isHistoryPoint) });
const isRunOption: Check<RunOption> = objectOf({ runId: isString, started: isString, label: isString });
const isExperimentOption: Check<ExperimentOption> = objectOf({ name: isString, runs: arrayOf(isRunOption), inLab: isBoolean });
const isImportedRow: Check<ImportedRow> = objectOf({ benchmark: isString, label: isString, count: isNumber, median: isString, files: isString });

/** Whether a value has the shape of a {@link ResultsViewModel} (every nested part checked). */
export const isResultsViewModel: Check<ResultsViewModel> = objectOf({
  labPath: isString,
  labName: isString,
  experiments: arrayOf(isExperimentOption),
  experiment: optional(isString),
  runId: optional(isString),
  followsLatest: isBoolean,
  run: optional(isRunView),
  history: arrayOf(isCellHistory),
  imported: arrayOf(isImportedRow),
  problems: arrayOf(isString),
  hint: optional(isString),
});

/** Whether a value has the shape of a {@link RunProgressView}. */
export const isRunProgressView: Check<RunProgressView> = objectOf({
  experiment: isString,
  done: isNumber,
  planned: isNumber,
  eta: optional(isString),
  message: isString,
  notDone: arrayOf(isNotDoneView),
});
