/**
 * How QEMU Lab words a COLO pair — the editor's tree and panel and the CLI's `colo status` say
 * the same things in the same words. No `vscode` here (lint refuses it in presentation/).
 */
import type { ColoFailover, ColoRole } from '../../core/colo/pair-record';
import type { CheckpointLook } from '../../core/colo/checkpoints';
import type { ColoPairState, ColoPairStatus, ColoSideStatus } from '../../core/colo/pair-status';

/** Where a side runs, for people: the host, and "second QEMU" when both share it (a loopback pair). */
export function sideWhere(side: ColoSideStatus, other: ColoSideStatus): string {
  return side.host === other.host && side.role === 'secondary' ? `${side.host} (second QEMU)` : side.host;
}

/** The pair's verdict in a few words. */
export function stateWords(state: ColoPairState): string {
  switch (state) {
    case 'replicating':
      return 'replicating';
    case 'hung':
      return 'primary hung (checkpoint)';
    case 'primary-lost':
      return 'primary lost, not failed over';
    case 'secondary-lost':
      return 'secondary lost, primary alone';
    case 'failed-over':
      return 'failed over';
    case 'stopped':
      return 'pair stopped';
  }
}

/** Why a failover happened, from the record's `reason`. */
export function failoverReasonWords(reason: string): string {
  switch (reason) {
    case 'command':
      return 'on command';
    case 'primary-lost':
      return 'heartbeat: the primary QEMU was gone';
    case 'secondary-lost':
      return 'heartbeat: the secondary QEMU was gone';
    case 'primary-hung':
      return 'heartbeat: the primary hung in a checkpoint';
    default:
      return reason;
  }
}

/** The host a role runs on in this pair. */
export function hostOf(status: ColoPairStatus, role: ColoRole): string {
  return role === 'primary' ? status.primary.host : status.secondary.host;
}

/** `to the secondary on lab-b at 2026-…, on command, took 120 ms`. */
export function failoverWords(status: ColoPairStatus, failover: ColoFailover): string {
  return `to the ${failover.survivor} on ${hostOf(status, failover.survivor)} at ${failover.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (${failoverReasonWords(failover.reason)}; took ${failover.durationMs} ms)`;
}

/** What the pair's status means for what to do next, when something is to be done. */
export function stateAdvice(status: ColoPairStatus): string | undefined {
  switch (status.state) {
    case 'hung':
      return 'The primary stopped answering QMP: a checkpoint hung (QEMU 7.2 under TCG deadlocks at the first one). Fail over to the secondary to keep the guest, or stop the pair.';
    case 'primary-lost':
      return 'The primary QEMU is gone and no heartbeat took over: fail over to the secondary to run the guest there.';
    case 'secondary-lost':
      return 'The secondary QEMU is gone: fail over to the primary to drop the COLO filters, and start the pair again to replicate.';
    case 'stopped':
      return 'Neither QEMU runs: stop the pair to forget it, then start it again.';
    default:
      return undefined;
  }
}

/**
 * COLO's checkpoints as far as QEMU exposes them: it counts none, but each checkpoint syncs the
 * dirty bitmap once, so the primary's `dirty-sync-count` is the closest figure.
 */
export function checkpointWords(status: ColoPairStatus): string {
  const delay = `at least every ${formatDelay(status.checkpointDelayMs)}`;
  if (status.checkpoints !== undefined) return `${delay}; ${checkpointLookWords(status.checkpoints)}`;
  const syncs = status.primary.facts?.dirtySyncCount;
  if (syncs === undefined) return `${delay}; QEMU reports no checkpoint count or timing here`;
  return `${delay}; primary memory syncs ${syncs} (QEMU counts no checkpoints; each one syncs once)`;
}

/** `230 ms`, or `210–350 ms` for several figures (rounded to whole milliseconds). */
export function rangeMs(values: readonly number[]): string {
  const low = Math.round(Math.min(...values));
  const high = Math.round(Math.max(...values));
  return low === high ? `${low} ms` : `${low}–${high} ms`;
}

/**
 * The share of time the guest stood still for checkpoints: the mean pause over the mean interval
 * (what COLO costs a guest that never waits for anything else); undefined without an interval.
 */
export function pausedShare(look: CheckpointLook): number | undefined {
  if (look.intervalsMs.length === 0 || look.pausesMs.length === 0) return undefined;
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return mean(look.pausesMs) / mean(look.intervalsMs);
}

/**
 * A look at the primary's checkpoints (core/colo/checkpoints.ts), and how it was measured:
 * QEMU counts none, so they are QEMU's own STOP/RESUME events of the guest, seen for a few seconds.
 */
export function checkpointLookWords(look: CheckpointLook): string {
  const how = `in a ${formatDelay(Math.round(look.lookMs / 100) * 100)} look at the primary's STOP/RESUME events (QEMU counts no checkpoints)`;
  const parts = [`${look.count} checkpoint${look.count === 1 ? '' : 's'} ${how}`];
  if (look.intervalsMs.length > 0) parts.push(`one every ${rangeMs(look.intervalsMs)}`);
  if (look.pausesMs.length > 0) {
    const share = pausedShare(look);
    parts.push(`guest paused ${rangeMs(look.pausesMs)} each${share === undefined ? '' : ` (${Math.round(share * 100)} % of the time)`}`);
  }
  if (look.pausedAtEnd) parts.push('the guest was paused when the look ended');
  return parts.join('; ');
}

/** `600 s`, `2.5 s`, `800 ms`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
}
