/**
 * Statistics over repeated measurements of one benchmark: summary figures, outliers, and the
 * Phoronix Test Suite rule for how many repetitions to run.
 *
 * Every function takes finite numbers only and never returns NaN: an empty list or a value that
 * is not finite is a {@link BenchmarkError}.
 */
import { BenchmarkError } from './errors';

/** Summary figures of a list of measurements. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
  readonly stdDev: number;
  /**
   * Coefficient of variation, stdDev ÷ |mean|, as a fraction (0.03 = 3 %); undefined when the mean
   * is 0, where it means nothing.
   */
  readonly cv: number | undefined;
  readonly min: number;
  readonly max: number;
  /** The measurements as given, in their order. */
  readonly values: readonly number[];
}

function checked(values: readonly number[]): readonly number[] {
  if (values.length === 0) throw new BenchmarkError('No measurements to summarize.');
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new BenchmarkError(`Measurement ${bad + 1} is ${String(values[bad])}, not a finite number.`);
  return values;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The arithmetic mean. */
export function mean(values: readonly number[]): number {
  const v = checked(values);
  return v.reduce((sum, x) => sum + x, 0) / v.length;
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks (Hyndman & Fan type 7,
 * the default of R, NumPy and spreadsheets).
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new BenchmarkError(`A quantile must be between 0 and 1, not ${q}.`);
  const s = sorted(checked(values));
  const position = (s.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = s[below] ?? 0;
  const high = s[above] ?? low;
  return low + (high - low) * (position - below);
}

/** The sample standard deviation (Bessel's n − 1); 0 for a single value. */
export function sampleStdDev(values: readonly number[]): number {
  const v = checked(values);
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((sum, x) => sum + (x - m) ** 2, 0) / (v.length - 1));
}

/** stdDev ÷ |mean| as a fraction; undefined when the mean is 0. */
export function coefficientOfVariation(values: readonly number[]): number | undefined {
  const m = mean(values);
  return m === 0 ? undefined : sampleStdDev(values) / Math.abs(m);
}

/** All the summary figures at once. */
export function summarize(values: readonly number[]): Summary {
  const v = checked(values);
  return {
    count: v.length,
    mean: mean(v),
    median: median(v),
    stdDev: sampleStdDev(v),
    cv: coefficientOfVariation(v),
    min: Math.min(...v),
    max: Math.max(...v),
    values: [...v],
  };
}

/** Which measurements are outliers, and the fences they were judged by. */
export interface Outliers {
  readonly lowerFence: number;
  readonly upperFence: number;
  /** Indexes (into the list given) of the values outside the fences. */
  readonly indexes: readonly number[];
  /** One flag per value, in the order given. */
  readonly flags: readonly boolean[];
}

/**
 * Flags outliers with Tukey's fences: a value is an outlier when it lies below Q1 − 1.5·IQR or
 * above Q3 + 1.5·IQR, where Q1 and Q3 are the {@link quantile | type-7} quartiles and IQR = Q3 − Q1.
 * With fewer than 4 values the quartiles say too little, so nothing is flagged (the fences are
 * then the minimum and maximum). Outliers are only flagged, never dropped: the caller decides.
 */
export function findOutliers(values: readonly number[], k = 1.5): Outliers {
  const v = checked(values);
  if (v.length < 4) {
    return { lowerFence: Math.min(...v), upperFence: Math.max(...v), indexes: [], flags: v.map(() => false) };
  }
  const q1 = quantile(v, 0.25);
  const q3 = quantile(v, 0.75);
  const iqr = q3 - q1;
  const lowerFence = q1 - k * iqr;
  const upperFence = q3 + k * iqr;
  const flags = v.map((x) => x < lowerFence || x > upperFence);
  return { lowerFence, upperFence, indexes: flags.flatMap((f, i) => (f ? [i] : [])), flags };
}

/** The verdict of {@link shouldRunAnotherRepetition}. */
export interface RepetitionDecision {
  readonly runAnother: boolean;
  /** Why, in a sentence for the progress output. */
  readonly reason: string;
  /** CV of the measurements so far, in percent; undefined before there are two of them or when the mean is 0. */
  readonly cvPercent: number | undefined;
}

/**
 * The Phoronix Test Suite rule for dynamic run counts: run the planned number of repetitions;
 * then, while the coefficient of variation is above the threshold (default 3 %), run one more,
 * up to twice the planned count.
 */
export function shouldRunAnotherRepetition(
  measurements: readonly number[],
  planned: number,
  options: { readonly cvThresholdPercent?: number; readonly maxFactor?: number } = {},
): RepetitionDecision {
  if (!Number.isSafeInteger(planned) || planned < 1) throw new BenchmarkError(`The planned number of repetitions must be at least 1, not ${planned}.`);
  const threshold = options.cvThresholdPercent ?? 3;
  const cap = planned * (options.maxFactor ?? 2);
  const count = measurements.length;
  if (count > 0) checked(measurements);
  const cv = count >= 2 ? coefficientOfVariation(measurements) : undefined;
  const cvPercent = cv === undefined ? undefined : cv * 100;
  const shown = cvPercent === undefined ? 'n/a' : `${cvPercent.toFixed(2)} %`;
  if (count < planned) return { runAnother: true, reason: `${count} of ${planned} planned repetitions done`, cvPercent };
  if (count >= cap) return { runAnother: false, reason: `reached the limit of ${cap} repetitions (CV ${shown})`, cvPercent };
  if (cvPercent === undefined) {
    return { runAnother: false, reason: `CV is undefined (mean 0 or a single run); stopping at ${count}`, cvPercent };
  }
  if (cvPercent <= threshold) return { runAnother: false, reason: `CV ${shown} ≤ ${threshold} %`, cvPercent };
  return { runAnother: true, reason: `CV ${shown} > ${threshold} %: one more (at most ${cap})`, cvPercent };
}
