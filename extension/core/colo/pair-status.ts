/**
 * The state of a COLO pair now: each side's process, whether its QMP answers (within a bound)
 * and what it says about COLO; and a verdict for the pair.
 */
import { QmpClient } from '../infrastructure/qmp/client';
import type { HostVmBackend } from '../machines/vm/backend';
import { lookAtCheckpoints, type CheckpointLook } from './checkpoints';
import { sideAlive, sideConnector, type ColoPair, type ColoSide } from './pair-handle';
import type { ColoPairRecord, ColoRole } from './pair-record';
import { probeQmp } from './probe';
import { parseSideFacts, type ColoSideFacts } from './side-status';

/** One side, as seen now. */
export interface ColoSideStatus {
  readonly role: ColoRole;
  readonly host: string;
  readonly slot: string | undefined;
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** `ok`: QMP answered; `unresponsive`: the process lives, QMP did not answer in time; `dead`. */
  readonly qmp: 'ok' | 'unresponsive' | 'dead';
  /** How long QMP took to answer (both queries), in milliseconds. */
  readonly responseMs: number | undefined;
  readonly facts: ColoSideFacts | undefined;
  readonly qemu: string;
  readonly ssh: { readonly host: string; readonly port: number } | undefined;
}

/**
 * The pair's verdict: `replicating` (both in COLO), `hung` (the primary's QMP does not answer:
 * a checkpoint hung), `primary-lost` / `secondary-lost` (one side died, no failover yet),
 * `failed-over` (one side runs alone after a failover), `stopped` (neither runs).
 */
export type ColoPairState = 'replicating' | 'hung' | 'primary-lost' | 'secondary-lost' | 'failed-over' | 'stopped';

/** What `colo status` shows. */
export interface ColoPairStatus {
  readonly vm: string;
  readonly state: ColoPairState;
  readonly primary: ColoSideStatus;
  readonly secondary: ColoSideStatus;
  readonly checkpointDelayMs: number;
  readonly accel: 'kvm' | 'tcg';
  readonly startedAt: string;
  readonly lastFailover: ColoPairRecord['lastFailover'];
  /** The replicated disk, for a pair with one. */
  readonly disk: ColoPairRecord['disk'];
  /** Checkpoints seen in a look at the primary's events (checkpoints.ts), when one was taken. */
  readonly checkpoints?: CheckpointLook;
}

async function sideStatus(backend: HostVmBackend, side: ColoSide, record: ColoPairRecord, boundMs: number): Promise<ColoSideStatus> {
  const alive = await sideAlive(side);
  const ssh = side.instance?.record.ssh;
  const base = {
    role: side.role,
    host: side.key.host,
    slot: side.key.slot,
    pid: alive ? side.instance?.pid : undefined,
    alive,
    qemu: side.role === 'primary' ? record.qemu.primary : record.qemu.secondary,
    ssh: ssh === undefined ? undefined : { host: ssh.host, port: ssh.port },
  };
  if (!alive) return { ...base, qmp: 'dead', responseMs: undefined, facts: undefined };
  const probe = await probeQmp(sideConnector(backend, side), ['query-colo-status', 'query-migrate'], boundMs, `${side.key.vmName} (COLO ${side.role})`);
  if (!probe.ok) return { ...base, qmp: 'unresponsive', responseMs: undefined, facts: undefined };
  return { ...base, qmp: 'ok', responseMs: Math.round(probe.ms), facts: parseSideFacts(probe.replies[0] ?? null, probe.replies[1]) };
}

/** Judges a pair from its two sides and its record. */
export function judgePair(record: ColoPairRecord, primary: ColoSideStatus, secondary: ColoSideStatus): ColoPairState {
  if (!primary.alive && !secondary.alive) return 'stopped';
  if (record.state === 'failed-over') return 'failed-over';
  if (primary.alive && primary.qmp === 'unresponsive') return 'hung';
  if (!primary.alive) return 'primary-lost';
  if (!secondary.alive) return 'secondary-lost';
  return 'replicating';
}

/**
 * Reads the state of a pair (bounded: a hung QEMU costs `boundMs`, not forever). With `lookMs`,
 * a replicating pair's primary is also listened to that long for its checkpoints.
 */
export async function pairStatus(backend: HostVmBackend, pair: ColoPair, boundMs = 5_000, lookMs?: number): Promise<ColoPairStatus> {
  const [primary, secondary] = await Promise.all([sideStatus(backend, pair.primary, pair.record, boundMs), sideStatus(backend, pair.secondary, pair.record, boundMs)]);
  const state = judgePair(pair.record, primary, secondary);
  let checkpoints: CheckpointLook | undefined;
  if (lookMs !== undefined && state === 'replicating') {
    const client = new QmpClient({ name: `${pair.record.vmName} (COLO primary, checkpoints)`, connectTimeoutMs: boundMs, defaultTimeoutMs: boundMs });
    checkpoints = await lookAtCheckpoints(sideConnector(backend, pair.primary), client, lookMs);
  }
  return {
    vm: pair.record.vmName,
    state,
    primary,
    secondary,
    checkpointDelayMs: pair.record.checkpointDelayMs,
    accel: pair.record.accel,
    startedAt: pair.record.startedAt,
    lastFailover: pair.record.lastFailover,
    disk: pair.record.disk,
    ...(checkpoints === undefined ? {} : { checkpoints }),
  };
}
