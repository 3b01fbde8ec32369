/**
 * A migration on a time axis: its phases, its `query-migrate` samples and, with `--during`, the
 * benchmarks sampled per second before (baseline), during and after it — all in milliseconds
 * since one origin, so that one chart shows them together. Stored with the migration record.
 */
import type { MigrationProgress } from '../progress';
import type { DuringBenchmark, DuringTarget } from './spec';

/** The timeline layout written today (readers accept records without a timeline too). */
export const TIMELINE_SCHEMA = 1;

/** A stretch of the axis, milliseconds since the origin. */
export interface TimeSpan {
  readonly startMs: number;
  readonly endMs: number;
}

/** One `query-migrate` sample on the axis: the quantities worth charting. */
export interface ProgressPoint {
  /** Milliseconds since the origin. */
  readonly t: number;
  readonly status: string;
  readonly remainingBytes: number | undefined;
  readonly transferredBytes: number | undefined;
  readonly dirtyBytesPerSecond: number | undefined;
  readonly dirtyPagesPerSecond: number | undefined;
  readonly throughputBytesPerSecond: number | undefined;
  readonly dirtySyncCount: number | undefined;
  readonly cpuThrottlePercentage: number | undefined;
  readonly expectedDowntimeMs: number | undefined;
}

/** A phase of the migration (begin … done, or failed/cancelled) starting at `t`. */
export interface PhaseMark {
  readonly phase: string;
  readonly t: number;
}

/** A benchmark's value over the second that ends at `t`. */
export interface DuringSample {
  readonly t: number;
  readonly value: number;
}

/** Why a benchmark stream stopped producing samples. */
export interface StreamEnd {
  readonly t: number;
  /**
   * `stopped`: we stopped it at the end of its window (the normal end); `broken`: its connection
   * broke (with user networking a guest iperf3 stream goes through the source QEMU's forwarded
   * port and breaks at the switch-over); `ended`: it exited by itself; `failed`: it could not
   * be started or read.
   */
  readonly kind: 'stopped' | 'broken' | 'ended' | 'failed';
  readonly reason: string;
}

/** The unit of a stream's values. */
export type DuringUnit = 'events/s' | 'bytes/s' | 'bits/s';

/** The unit a benchmark's samples are in. */
export function unitOf(benchmark: DuringBenchmark): DuringUnit {
  return benchmark === 'sysbench-cpu' ? 'events/s' : benchmark === 'sysbench-memory' ? 'bytes/s' : 'bits/s';
}

/** One benchmark at one place in one run (the baseline, or the run during the migration). */
export interface DuringStream {
  readonly benchmark: DuringBenchmark;
  readonly target: DuringTarget;
  /** The lab host it ran on (for `guest`: the VM's host when it started). */
  readonly host: string;
  readonly run: 'baseline' | 'during';
  readonly unit: DuringUnit;
  readonly samples: readonly DuringSample[];
  /** Every time the stream stopped; a stream restarted after a break has several. */
  readonly ends: readonly StreamEnd[];
}

/** How the `--during` windows were laid out. */
export interface DuringPlan {
  /** The baseline's length, and the least length of the run during the migration. */
  readonly seconds: number;
  /** Benchmarks run this long before the migration starts. */
  readonly leadSeconds: number;
  /** And this long after it ended. */
  readonly tailSeconds: number;
}

/** Everything on the axis of one migration. */
export interface MigrationTimeline {
  readonly schema: number;
  /** ISO 8601 time of t = 0. */
  readonly origin: string;
  readonly phases: readonly PhaseMark[];
  readonly progress: readonly ProgressPoint[];
  /** From `migrateVm` called to it returning. */
  readonly migration: TimeSpan | undefined;
  /** When the guest stopped running on the source (QEMU's `device`/`completed`, or postcopy). */
  readonly switchoverMs: number | undefined;
  readonly baseline: TimeSpan | undefined;
  readonly during: TimeSpan | undefined;
  readonly plan: DuringPlan | undefined;
  readonly streams: readonly DuringStream[];
}

/** A progress sample as a point at `t`. */
export function progressPoint(t: number, p: MigrationProgress): ProgressPoint {
  return {
    t,
    status: p.status,
    remainingBytes: p.remainingBytes,
    transferredBytes: p.transferredBytes,
    dirtyBytesPerSecond: p.dirtyBytesPerSecond,
    dirtyPagesPerSecond: p.dirtyPagesPerSecond,
    throughputBytesPerSecond: p.throughputBytesPerSecond,
    dirtySyncCount: p.dirtySyncCount,
    cpuThrottlePercentage: p.cpuThrottlePercentage,
    expectedDowntimeMs: p.expectedDowntimeMs,
  };
}

/** Statuses that mean the guest no longer runs on the source. */
const SWITCHED: readonly string[] = ['device', 'completed', 'postcopy-active'];

/** Whether a `query-migrate` status means the switch-over has happened (or is happening). */
export function isSwitchoverStatus(status: string): boolean {
  return SWITCHED.includes(status);
}

/**
 * Thins a long series to at most `max` points, keeping the first, the last and every point
 * where the status changes — a 20-minute migration must not make a record of megabytes.
 */
export function thinProgress(points: readonly ProgressPoint[], max: number): ProgressPoint[] {
  if (points.length <= max) return [...points];
  const step = Math.ceil(points.length / max);
  return points.filter((p, i) => i % step === 0 || i === points.length - 1 || p.status !== points[i - 1]?.status);
}
