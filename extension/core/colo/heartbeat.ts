/**
 * The heartbeat QEMU lacks: the tool asks the primary over QMP every `intervalMs`, and checks
 * that both processes live. The primary gone → the secondary takes over; the secondary gone →
 * the primary goes on alone; the primary alive but silent past `hangBoundMs` → a hung
 * checkpoint: both QEMUs are killed and {@link ColoCheckpointHungError} raised (or, when asked,
 * the hung primary counts as lost and the secondary takes over).
 */
import type { HostVmBackend } from '../machines/vm/backend';
import { sleep } from '../infrastructure/support/sleep';
import { ColoCheckpointHungError } from './errors';
import { failOver } from './failover';
import { killSide, loadPair, sideAlive, sideConnector } from './pair-handle';
import { readPairRecord, type ColoPairRecord } from './pair-record';
import { probeQmp } from './probe';

/** Options of {@link runHeartbeat}. */
export interface HeartbeatOptions {
  readonly stateRoot: string;
  readonly labPath: string;
  readonly vmName: string;
  /** Default 500 ms. */
  readonly intervalMs?: number;
  /** Default 10 s. */
  readonly hangBoundMs?: number;
  /**
   * What a hung checkpoint leads to: `kill` (default) ends both QEMUs and raises
   * {@link ColoCheckpointHungError}; `failover` treats the hung primary as lost — it is killed
   * and the secondary takes over from the last state it has (under QEMU 7.2 TCG: the first
   * COLO migration's, as no checkpoint ever completes).
   */
  readonly onHang?: 'kill' | 'failover';
  readonly signal?: AbortSignal;
  readonly onStep?: (text: string) => void;
}

/** How the heartbeat ended. */
export type HeartbeatOutcome =
  | { readonly kind: 'failed-over'; readonly record: ColoPairRecord; readonly detectedAfterMs: number }
  | { readonly kind: 'stopped' };

/** Runs until a failover happened, the signal aborts, or a hang is found (thrown). */
export async function runHeartbeat(backend: HostVmBackend, options: HeartbeatOptions): Promise<HeartbeatOutcome> {
  const intervalMs = options.intervalMs ?? 500;
  const hangBoundMs = options.hangBoundMs ?? 10_000;
  const pair = await loadPair(backend, options.stateRoot, options.labPath, options.vmName);
  const connect = sideConnector(backend, pair.primary);
  let silentSince: number | undefined;
  while (options.signal?.aborted !== true) {
    const beat = performance.now();
    // A failover run by hand (colo failover) meanwhile: nothing left to watch.
    const now = await readPairRecord(options.stateRoot, options.labPath, options.vmName);
    if (now?.state !== 'replicating') {
      options.onStep?.('the pair no longer replicates (failed over or ended elsewhere); the heartbeat stops');
      return { kind: 'stopped' };
    }
    if (!(await sideAlive(pair.primary))) {
      options.onStep?.('heartbeat lost: the primary QEMU is gone; the secondary takes over');
      const record = await failOver(backend, pair, { stateRoot: options.stateRoot, survivor: 'secondary', reason: 'primary-lost', hangBoundMs, onStep: options.onStep });
      return { kind: 'failed-over', record, detectedAfterMs: Math.round(performance.now() - beat) };
    }
    if (!(await sideAlive(pair.secondary))) {
      options.onStep?.('the secondary QEMU is gone; the primary goes on alone');
      const record = await failOver(backend, pair, { stateRoot: options.stateRoot, survivor: 'primary', reason: 'secondary-lost', hangBoundMs, onStep: options.onStep });
      return { kind: 'failed-over', record, detectedAfterMs: Math.round(performance.now() - beat) };
    }
    const probe = await probeQmp(connect, ['query-colo-status'], Math.min(hangBoundMs, 2_000), `${options.vmName} (COLO primary)`);
    if (probe.ok) silentSince = undefined;
    else {
      silentSince ??= beat;
      const silentMs = performance.now() - silentSince;
      if (silentMs > hangBoundMs && (await sideAlive(pair.primary))) {
        if (options.onHang === 'failover' && (await sideAlive(pair.secondary))) {
          options.onStep?.(`the primary has not answered QMP for ${(silentMs / 1000).toFixed(1)} s (a hung checkpoint); the secondary takes over`);
          const record = await failOver(backend, pair, { stateRoot: options.stateRoot, survivor: 'secondary', reason: 'primary-hung', hangBoundMs, onStep: options.onStep });
          return { kind: 'failed-over', record, detectedAfterMs: Math.round(silentMs) };
        }
        await Promise.all([killSide(pair.primary), killSide(pair.secondary)]);
        throw new ColoCheckpointHungError(options.vmName, { qemu: pair.record.qemu.primary, accel: pair.record.accel }, silentMs);
      }
    }
    await sleep(Math.max(0, intervalMs - (performance.now() - beat)));
  }
  return { kind: 'stopped' };
}
