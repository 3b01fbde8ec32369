/**
 * One reading of a VM's COLO pair for the editor: the core's pair status plus each side's run
 * state (`query-status`), or why there is nothing to show. Read on events and commands only —
 * never on a timer — with a short bound, so a hung primary costs the tree seconds, not forever.
 * No `vscode` here: the tree, the panel and their tests share it.
 */
import { describeError } from '../../core/errors';
import { isQmpObject } from '../../core/infrastructure/qmp/messages';
import type { HostVmBackend } from '../../core/machines/vm/backend';
import { checkpointLookMs } from '../../core/colo/checkpoints';
import { loadPair, sideConnector, type ColoSide } from '../../core/colo/pair-handle';
import { readPairRecord } from '../../core/colo/pair-record';
import { pairStatus, type ColoPairStatus, type ColoSideStatus } from '../../core/colo/pair-status';
import { probeQmp } from '../../core/colo/probe';

/** Each side's QEMU run state (`query-status`), when its QMP answered. */
export interface ColoRunStates {
  readonly primary: string | undefined;
  readonly secondary: string | undefined;
}

/** What is known of a VM's pair at `readAt` (ISO time). */
export type ColoSnapshot =
  /** `colo up` never set one up, or `colo down` forgot it. */
  | { readonly kind: 'no-pair'; readonly readAt: string }
  | { readonly kind: 'pair'; readonly status: ColoPairStatus; readonly runStates: ColoRunStates; readonly readAt: string }
  /** The record or a host could not be read (an SSH host unreachable, …). */
  | { readonly kind: 'unreadable'; readonly message: string; readonly readAt: string };

/** The bound of one reading's QMP exchanges: long enough for a busy TCG host, short for a tree. */
export const SNAPSHOT_BOUND_MS = 3_000;

async function runState(backend: HostVmBackend, side: ColoSide, seen: ColoSideStatus, boundMs: number): Promise<string | undefined> {
  if (seen.qmp !== 'ok') return undefined;
  const probe = await probeQmp(sideConnector(backend, side), ['query-status'], boundMs, `${side.key.vmName} (COLO ${side.role})`);
  const reply = probe.ok ? probe.replies[0] : undefined;
  return isQmpObject(reply) && typeof reply.status === 'string' ? reply.status : undefined;
}

/** What a reading may do. */
export interface SnapshotOptions {
  /** Bound of each QMP exchange (default {@link SNAPSHOT_BOUND_MS}). */
  readonly boundMs?: number;
  /** False (an untrusted workspace): read the pair's record only, connect to no QEMU. */
  readonly connect?: boolean;
  /**
   * Also watch the primary's checkpoints for a few seconds (core/colo/checkpoints.ts) when they
   * come that often: for the panel, which shows them; the tree does not wait for it.
   */
  readonly lookAtCheckpoints?: boolean;
}

/** Reads the pair of VM `vmName` of the lab at `labPath`; never rejects. */
export async function readColoSnapshot(backend: HostVmBackend, stateRoot: string, labPath: string, vmName: string, options: SnapshotOptions = {}): Promise<ColoSnapshot> {
  const boundMs = options.boundMs ?? SNAPSHOT_BOUND_MS;
  try {
    // The record first: a VM without a pair costs one file read and no QMP connection.
    if ((await readPairRecord(stateRoot, labPath, vmName)) === undefined) return { kind: 'no-pair', readAt: new Date().toISOString() };
    if (options.connect === false) return { kind: 'unreadable', message: 'the workspace is not trusted, so QEMU Lab does not ask the pair\'s QEMUs (trust it to see the pair)', readAt: new Date().toISOString() };
    const pair = await loadPair(backend, stateRoot, labPath, vmName);
    const status = await pairStatus(backend, pair, boundMs, options.lookAtCheckpoints === true ? checkpointLookMs(pair.record.checkpointDelayMs) : undefined);
    const [primary, secondary] = await Promise.all([runState(backend, pair.primary, status.primary, boundMs), runState(backend, pair.secondary, status.secondary, boundMs)]);
    return { kind: 'pair', status, runStates: { primary, secondary }, readAt: new Date().toISOString() };
  } catch (error) {
    return { kind: 'unreadable', message: describeError(error), readAt: new Date().toISOString() };
  }
}
