/**
 * The "Compare settings" tab of the migration panel, as plain JSON: stored migrations of one VM
 * grouped by their settings (built in the extension host by
 * extension/presentation/panels/migration/comparison-view-model.ts from core/measuring/reports/migration-comparison.ts),
 * a bar chart per quantity, the table, and the attempts that did not complete with their reason.
 */
import { arrayOf, isNumber, isString, objectOf, oneOf, type Check } from '../shared/guards';

/** One settings group on a chart: the median of its completed runs, whiskers min–max. */
export interface ComparisonBar {
  /** The settings, e.g. `auto-converge · 128 MiB/s · 300 ms`. */
  readonly label: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Completed runs behind the bar. */
  readonly count: number;
}

/** One quantity compared: total time (s), downtime (ms) or RAM transferred (MiB). */
export interface ComparisonChartView {
  readonly id: 'totalTime' | 'downtime' | 'transferred';
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly ComparisonBar[];
}

/** A row of the comparison table, worded. */
export interface ComparisonRow {
  readonly settings: string;
  readonly completed: number;
  readonly totalTime: string;
  readonly downtime: string;
  readonly transferred: string;
  readonly failed: number;
  readonly cancelled: number;
}

/** An attempt that did not complete, worded: listed under the charts, not on them. */
export interface NotCompletedRow {
  readonly when: string;
  readonly settings: string;
  readonly status: string;
  readonly reason: string;
}

/** The whole tab. */
export interface ComparisonView {
  readonly vm: string;
  /** How many stored migrations of the VM it covers. */
  readonly migrations: number;
  readonly charts: readonly ComparisonChartView[];
  readonly rows: readonly ComparisonRow[];
  readonly notCompleted: readonly NotCompletedRow[];
}

const isBar: Check<ComparisonBar> = objectOf({ label: isString, median: isNumber, min: isNumber, max: isNumber, count: isNumber });
const isChart: Check<ComparisonChartView> = objectOf({ id: oneOf('totalTime', 'downtime', 'transferred'), title: isString, unit: isString, bars: arrayOf(isBar) });
const isRow: Check<ComparisonRow> = objectOf({ settings: isString, completed: isNumber, totalTime: isString, downtime: isString, transferred: isString, failed: isNumber, cancelled: isNumber });
const isNotCompleted: Check<NotCompletedRow> = objectOf({ when: isString, settings: isString, status: isString, reason: isString });

/** Whether a value is a well-formed {@link ComparisonView}. */
export const isComparisonView: Check<ComparisonView> = objectOf({
  vm: isString,
  migrations: isNumber,
  charts: arrayOf(isChart),
  rows: arrayOf(isRow),
  notCompleted: arrayOf(isNotCompleted),
});
