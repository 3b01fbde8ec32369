/**
 * What COLO costs a guest, summarised (pure): each benchmark's figure on the same VM without
 * COLO and as the COLO primary, their ratio, the checkpoints a look saw while the guest was
 * under load, and the figure with COLO in host time (the pauses taken off, which the guest's own
 * clock does not see). The measuring is in cost-measure.ts.
 */
import type { ParsedBenchmark } from '../measuring/workloads/detect';
import { primaryMetric } from '../measuring/workloads/metric';
import type { CheckpointLook } from './checkpoints';

/** The benchmarks COLO's cost is measured with: guest CPU and guest memory. */
export const COST_BENCHMARKS = ['sysbench-cpu', 'sysbench-memory'] as const;
export type CostBenchmark = (typeof COST_BENCHMARKS)[number];

/** How long each benchmark runs, each time, unless told otherwise. */
export const DEFAULT_COST_SECONDS = 10;

/**
 * Which run stood for "without COLO": the primary's own QEMU between its boot and the start of
 * COLO (`before-colo`), or the side that ran on alone after the failover (`survivor`, when the
 * pair was already up and no run before COLO could be had).
 */
export type CostBaseline = 'before-colo' | 'survivor';

/** One benchmark without and with COLO. */
export interface CostFigure {
  readonly benchmark: CostBenchmark;
  /** `events/s`, `MiB/s`. */
  readonly unit: string;
  readonly without: number;
  readonly with: number;
  /** with / without: 1 is no cost, 0.5 half the throughput. */
  readonly ratio: number;
}

/** The checkpoints seen in looks taken while the benchmarks ran under COLO, together. */
export interface LoadedCheckpoints {
  /** How long the looks listened, in all. */
  readonly lookMs: number;
  readonly count: number;
  readonly intervalsMs: readonly number[];
  readonly pausesMs: readonly number[];
}

/** What COLO cost the guest, as measured. */
export interface ColoCost {
  readonly baseline: CostBaseline;
  /** How long each benchmark ran, each time. */
  readonly seconds: number;
  readonly figures: readonly CostFigure[];
  /** Undefined when no look reached the primary. */
  readonly underLoad: LoadedCheckpoints | undefined;
}

/** One benchmark's figure without and with COLO, by its primary metric. */
export function costFigure(benchmark: CostBenchmark, without: ParsedBenchmark, withColo: ParsedBenchmark): CostFigure {
  const a = primaryMetric(without);
  const b = primaryMetric(withColo);
  return { benchmark, unit: a.unit, without: a.value, with: b.value, ratio: a.value === 0 ? 0 : b.value / a.value };
}

/** The looks of one COLO run as one; undefined when none reached the primary. */
export function mergeLooks(looks: readonly (CheckpointLook | undefined)[]): LoadedCheckpoints | undefined {
  const seen = looks.filter((l): l is CheckpointLook => l !== undefined);
  if (seen.length === 0) return undefined;
  return {
    lookMs: seen.reduce((sum, l) => sum + l.lookMs, 0),
    count: seen.reduce((sum, l) => sum + l.count, 0),
    intervalsMs: seen.flatMap((l) => l.intervalsMs),
    pausesMs: seen.flatMap((l) => l.pausesMs),
  };
}

/** Each benchmark's result, by benchmark. */
export type CostRun = ReadonlyMap<CostBenchmark, ParsedBenchmark>;

/** The cost from a run without and one with COLO, and the looks taken under load. */
export function coloCostOf(baseline: CostBaseline, seconds: number, without: CostRun, withColo: CostRun, looks: readonly (CheckpointLook | undefined)[]): ColoCost {
  const figures = COST_BENCHMARKS.flatMap((benchmark) => {
    const a = without.get(benchmark);
    const b = withColo.get(benchmark);
    return a === undefined || b === undefined ? [] : [costFigure(benchmark, a, b)];
  });
  return { baseline, seconds, figures, underLoad: mergeLooks(looks) };
}

/**
 * The share of the watched time the guest stood still under load: the pauses over the looks'
 * length (QEMU's host-clock stamps); undefined without a look.
 */
export function pausedShareUnderLoad(underLoad: LoadedCheckpoints | undefined): number | undefined {
  if (underLoad === undefined || underLoad.lookMs <= 0) return undefined;
  return Math.min(1, underLoad.pausesMs.reduce((a, b) => a + b, 0) / underLoad.lookMs);
}

/**
 * A figure with COLO in host time. The guest's clock stands still while a checkpoint pauses it
 * (its clock is QEMU's virtual clock, stopped with the guest), so sysbench's own figure counts
 * only the time the guest ran; in the host's time it did no work for `pausedShare` of it.
 */
export function hostTimeFigure(withColo: number, pausedShare: number): number {
  return withColo * (1 - pausedShare);
}
