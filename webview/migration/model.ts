/**
 * What the live migration panel shows, as plain JSON: built in the extension host
 * (extension/presentation/panels/migration/view-model.ts) from the migration's timeline and summary,
 * sent to the webview, drawn there. Times are seconds on the migration's axis; quantities are
 * already in the chart's units; every text for people is worded on the extension side.
 */
import { arrayOf, isBoolean, isNumber, isString, objectOf, oneOf, optional, type Check } from '../shared/guards';
import { isComparisonView, type ComparisonView } from './comparison-model';

/** A point of a series: `x` seconds on the axis. */
export interface XyPoint {
  readonly x: number;
  readonly y: number;
}

/** Which axis a progress series is drawn against. */
export type ProgressAxis = 'mib' | 'mibPerSecond' | 'passes';

/** One quantity of the migration over time (remaining RAM, dirty rate, throughput, dirty syncs). */
export interface ProgressSeries {
  readonly id: 'remaining' | 'dirtyRate' | 'throughput' | 'syncs';
  readonly label: string;
  readonly axis: ProgressAxis;
  readonly points: readonly XyPoint[];
}

/** A vertical line on the axis: a phase starting, the switch-over. */
export interface TimeMarker {
  readonly x: number;
  readonly label: string;
  readonly kind: 'phase' | 'switchover' | 'break';
}

/** A shaded stretch of the axis: the baseline, the migration. */
export interface TimeBand {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** A `--during` benchmark: its samples as % of its baseline median (its value for the tooltip). */
export interface DuringSeries {
  /** `sysbench-cpu@host · during`. */
  readonly label: string;
  readonly run: 'baseline' | 'during';
  /** `events/s`, `MiB/s`, `Mbit/s`. */
  readonly unit: string;
  /** y: percent of the baseline median (100 = as without migration); value: in `unit`. */
  readonly points: readonly (XyPoint & { readonly value: number })[];
}

/** A row of the `--during` table: medians by window, worded. */
export interface DuringRow {
  readonly label: string;
  readonly baseline: string;
  readonly before: string;
  readonly migrating: string;
  readonly after: string;
  /** `−48%` against the baseline, or empty. */
  readonly change: string;
  /** Stream breaks, worded (`broken at 15.6 s: iperf3: control socket has closed unexpectedly`). */
  readonly notes: string;
}

/** A fact of the summary: `Downtime` → `20 ms`. */
export interface SummaryFact {
  readonly name: string;
  readonly value: string;
}

/** Everything the panel shows. */
export interface MigrationViewModel {
  /** `vm1: local → lab-b`. */
  readonly title: string;
  readonly state: 'running' | 'completed' | 'failed' | 'cancelled';
  /** `perform · active · 76.8 MiB sent, 24.1 MiB remaining, pass 3`. */
  readonly status: string;
  readonly error?: string;
  /** The x axis, seconds: the same for both charts so that they line up. */
  readonly xMin: number;
  readonly xMax: number;
  readonly progress: readonly ProgressSeries[];
  readonly markers: readonly TimeMarker[];
  readonly bands: readonly TimeBand[];
  readonly during: readonly DuringSeries[];
  readonly duringRows: readonly DuringRow[];
  readonly facts: readonly SummaryFact[];
  /** The panel may offer Cancel (the migration is still running). */
  readonly cancellable: boolean;
  /** A line under the status: when a stored migration ended, or why it has no charts. */
  readonly note?: string;
  /** The VM's stored migrations compared across settings: the panel's second tab. */
  readonly comparison?: ComparisonView;
}

const isPoint: Check<XyPoint> = objectOf({ x: isNumber, y: isNumber });

/** Checks of each part, for the protocol's message checks. */
export const isProgressSeries: Check<ProgressSeries> = objectOf({
  id: oneOf('remaining', 'dirtyRate', 'throughput', 'syncs'),
  label: isString,
  axis: oneOf('mib', 'mibPerSecond', 'passes'),
  points: arrayOf(isPoint),
});

const isMarker: Check<TimeMarker> = objectOf({ x: isNumber, label: isString, kind: oneOf('phase', 'switchover', 'break') });
const isBand: Check<TimeBand> = objectOf({ from: isNumber, to: isNumber, label: isString });
const isDuringSeries: Check<DuringSeries> = objectOf({
  label: isString,
  run: oneOf('baseline', 'during'),
  unit: isString,
  points: arrayOf(objectOf({ x: isNumber, y: isNumber, value: isNumber })),
});
const isDuringRow: Check<DuringRow> = objectOf({ label: isString, baseline: isString, before: isString, migrating: isString, after: isString, change: isString, notes: isString });
const isFact: Check<SummaryFact> = objectOf({ name: isString, value: isString });

/** Whether a value is a well-formed {@link MigrationViewModel}. */
export const isMigrationViewModel: Check<MigrationViewModel> = objectOf({
  title: isString,
  state: oneOf('running', 'completed', 'failed', 'cancelled'),
  status: isString,
  error: optional(isString),
  xMin: isNumber,
  xMax: isNumber,
  progress: arrayOf(isProgressSeries),
  markers: arrayOf(isMarker),
  bands: arrayOf(isBand),
  during: arrayOf(isDuringSeries),
  duringRows: arrayOf(isDuringRow),
  facts: arrayOf(isFact),
  cancellable: isBoolean,
  note: optional(isString),
  comparison: optional(isComparisonView),
});
