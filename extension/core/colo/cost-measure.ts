/**
 * Measuring what COLO costs a guest: sysbench cpu and memory in the guest over SSH (the runners
 * and parsers experiments use), once on the VM without COLO and once while it is the COLO
 * primary; during each run under COLO a look at the primary's checkpoints (checkpoints.ts), so
 * the pause and the interval are measured under load. A look holds the primary's only QMP
 * connection: it is never longer than {@link MAX_LOOK_MS}, and it is the only QMP user while the
 * benchmarks run (the lab run has no heartbeat of its own).
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { QmpClient } from '../infrastructure/qmp/client';
import { measureOnce } from '../measuring/experiments/measure';
import type { ParsedBenchmark } from '../measuring/workloads/detect';
import type { VmRecord } from '../machines/vm/vm-record';
import { sleep } from '../infrastructure/support/sleep';
import { lookAtCheckpoints, MAX_LOOK_MS, type CheckpointLook } from './checkpoints';
import { COST_BENCHMARKS, type CostBenchmark, type CostRun } from './cost';

/** A running guest to measure: its host and its run record (for SSH). */
export interface CostTarget {
  readonly system: HostSystem;
  readonly record: VmRecord;
}

/** How a run under COLO looks at the primary: its QMP, and how long after the start to begin. */
export interface CostLook {
  readonly connect: (client: QmpClient) => Promise<void>;
  readonly name: string;
  /** Time for the benchmark to get going over SSH before the look begins. Default 1 s. */
  readonly leadMs?: number;
}

/** How long a look under load lasts in a benchmark of `seconds` (pure): to its end, at most {@link MAX_LOOK_MS}. */
export function loadedLookMs(seconds: number, leadMs: number): number {
  return Math.max(1_000, Math.min(MAX_LOOK_MS, seconds * 1000 - leadMs));
}

/** Runs each cost benchmark once in the guest, one after the other. */
export async function runCostBenchmarks(target: CostTarget, seconds: number, signal?: AbortSignal, onStep?: (text: string) => void): Promise<CostRun> {
  const results = new Map<CostBenchmark, ParsedBenchmark>();
  for (const benchmark of COST_BENCHMARKS) {
    onStep?.(`${benchmark} in the guest for ${seconds} s`);
    results.set(benchmark, await measureOnce(benchmark, { kind: 'guest', ...target }, { durationSeconds: seconds, signal }));
  }
  return results;
}

/** The same as {@link runCostBenchmarks} on the COLO primary, with a look at its checkpoints during each benchmark. */
export async function runCostUnderColo(target: CostTarget, look: CostLook, seconds: number, signal?: AbortSignal, onStep?: (text: string) => void): Promise<{ run: CostRun; looks: (CheckpointLook | undefined)[] }> {
  const results = new Map<CostBenchmark, ParsedBenchmark>();
  const looks: (CheckpointLook | undefined)[] = [];
  const leadMs = look.leadMs ?? 1_000;
  const lookMs = loadedLookMs(seconds, leadMs);
  for (const benchmark of COST_BENCHMARKS) {
    onStep?.(`${benchmark} in the COLO primary's guest for ${seconds} s, its checkpoints watched for ${(lookMs / 1000).toFixed(1)} s`);
    const measured = measureOnce(benchmark, { kind: 'guest', ...target }, { durationSeconds: seconds, signal });
    const looked = (async () => {
      await sleep(leadMs, signal);
      const client = new QmpClient({ name: `${look.name} (COLO primary, checkpoints under load)`, connectTimeoutMs: 5_000, defaultTimeoutMs: 5_000 });
      return lookAtCheckpoints(look.connect, client, lookMs);
    })();
    // Both settle before either's error is thrown: no look left holding the primary's QMP.
    const [result, seen] = await Promise.allSettled([measured, looked]);
    if (result.status === 'rejected') throw result.reason;
    results.set(benchmark, result.value);
    looks.push(seen.status === 'fulfilled' ? seen.value : undefined);
  }
  return { run: results, looks };
}
