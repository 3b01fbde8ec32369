/**
 * The use case "set up a VM's COLO pair, then (when asked) stay as its heartbeat", as both the
 * CLI (`qemu-lab colo up [--watch]`) and the editor ("Start COLO Pair") run it. Steps go to
 * `onStep`, the pair to `onUp` as soon as it replicates (before the watch begins); the caller
 * only presents.
 */
import type { UpDependencies } from '../machines/vm/up';
import type { LabModel } from '../lab/model';
import { coloUp, type ColoUpOptions, type ColoUpResult } from './colo-up';
import { runHeartbeat, type HeartbeatOutcome } from './heartbeat';

/** The heartbeat after the pair is up. */
export interface WatchOptions {
  /** Between two beats. Default 500 ms. */
  readonly intervalMs?: number;
  /** What a hung checkpoint leads to (see `runHeartbeat`). */
  readonly onHang?: 'kill' | 'failover';
  /** Said once, before the first beat. */
  readonly onStart?: (intervalMs: number) => void;
  /** The heartbeat's own steps (default: `onStep`). */
  readonly onStep?: (text: string) => void;
}

/** How to set the pair up (the signal ends the watch too, not the pair), and whether to watch it. */
export interface ColoUpAndWatchOptions extends ColoUpOptions {
  /** Called with the pair as soon as it is up, before any watch. */
  readonly onUp?: (result: ColoUpResult) => void;
  /** Omitted: set up only. */
  readonly watch?: WatchOptions;
}

/** What was set up, and how the watch ended (when there was one). */
export interface ColoUpAndWatchResult {
  readonly up: ColoUpResult;
  readonly watched: HeartbeatOutcome | undefined;
}

const DEFAULT_INTERVAL_MS = 500;

/**
 * Sets up the COLO pair of VM `vmName` ({@link coloUp}); with `watch`, then runs its heartbeat
 * until a failover, the signal, or a hung checkpoint (thrown, both QEMUs killed unless `onHang`
 * is `failover`).
 */
export async function coloUpAndWatch(lab: LabModel, vmName: string, deps: UpDependencies, options: ColoUpAndWatchOptions): Promise<ColoUpAndWatchResult> {
  const up = await coloUp(lab, vmName, deps, options);
  options.onUp?.(up);
  const { watch } = options;
  if (watch === undefined) return { up, watched: undefined };
  const intervalMs = watch.intervalMs ?? DEFAULT_INTERVAL_MS;
  watch.onStart?.(intervalMs);
  const watched = await runHeartbeat(deps.backend, {
    stateRoot: options.stateRoot,
    labPath: lab.path,
    vmName,
    intervalMs,
    hangBoundMs: options.hangBoundMs,
    onHang: watch.onHang,
    signal: options.signal,
    onStep: watch.onStep ?? options.onStep,
  });
  return { up, watched };
}
