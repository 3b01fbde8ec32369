/**
 * The COLO panel's view model from a reading of the pair (colo-snapshot.ts): per side host,
 * pid, run state, COLO mode, migration status and QMP response time; the pair's facts
 * (checkpoints as far as QEMU exposes them, accelerator, QEMU, disk); the last failover and why.
 * Pure (no `vscode`).
 */
import type { ColoPairStatus, ColoSideStatus } from '../../../core/colo/pair-status';
import type { ColoCostView, ColoFact, ColoSideView, ColoViewModel } from '../../../../webview/colo/model';
import type { ColoSnapshot } from '../../colo/colo-snapshot';
import { SNAPSHOT_BOUND_MS } from '../../colo/colo-snapshot';
import { checkpointWords, failoverWords, formatDelay, hostOf, sideWhere, stateAdvice, stateWords } from '../../colo/colo-words';

/** The VM the panel is about. */
export interface ColoPanelHeader {
  readonly labPath: string;
  readonly vmName: string;
  /** The lab file's `faultTolerance.secondary`, for a VM without a pair yet. */
  readonly secondaryHost: string | undefined;
}

function sideView(side: ColoSideStatus, other: ColoSideStatus, runState: string | undefined): ColoSideView {
  const f = side.facts;
  const health = !side.alive ? 'gone' : side.qmp === 'ok' ? 'alive' : 'silent';
  return {
    role: side.role,
    host: sideWhere(side, other),
    pid: side.pid === undefined ? '—' : String(side.pid),
    runState: health === 'gone' ? 'not running' : health === 'silent' ? 'QMP does not answer' : (runState ?? '?'),
    mode: f === undefined ? '—' : `${f.mode} (last: ${f.lastMode}${f.reason === 'none' || f.reason === 'unknown' ? '' : `, left COLO: ${f.reason}`})`,
    migration: f?.migrationStatus ?? '—',
    qmp: health === 'gone' ? '—' : side.responseMs === undefined ? `no answer within ${formatDelay(SNAPSHOT_BOUND_MS)}` : `${side.responseMs} ms`,
    ssh: side.ssh === undefined || !side.alive ? '—' : `ssh ${side.ssh.host}:${side.ssh.port}`,
    health,
  };
}

function facts(status: ColoPairStatus): ColoFact[] {
  const list: ColoFact[] = [
    { name: 'Checkpoints', value: checkpointWords(status) },
    { name: 'Accelerator', value: status.accel.toUpperCase() },
    { name: 'QEMU', value: status.primary.qemu === status.secondary.qemu ? status.primary.qemu : `primary ${status.primary.qemu}; secondary ${status.secondary.qemu}` },
    { name: 'Set up', value: status.startedAt },
  ];
  const transferred = status.primary.facts?.transferredBytes;
  if (transferred !== undefined) list.push({ name: 'RAM sent by the primary', value: `${(transferred / 1048576).toFixed(1)} MiB` });
  if (status.disk !== undefined) list.push({ name: 'Disk', value: `${status.disk.primaryImage} on the primary, replicated to ${status.disk.secondaryImages.parent} on the secondary` });
  return list;
}

function headline(status: ColoPairStatus): string {
  const where = `primary on ${status.primary.host}, secondary on ${sideWhere(status.secondary, status.primary)}`;
  const failover = status.lastFailover;
  if (status.state === 'failed-over' && failover !== undefined) {
    return `Failed over: the guest runs on the ${failover.survivor} (${hostOf(status, failover.survivor)}) alone, without replication.`;
  }
  const words = stateWords(status.state);
  return `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}: ${where}.`;
}

/**
 * The panel's model. `busy`: a COLO command of the editor runs on the VM now (`starting`,
 * `failing over`, `stopping`); the last reading is shown under it. `cost`: what COLO cost the
 * guest when last measured (cost-view.ts), shown whatever the pair's state.
 */
export function buildColoViewModel(header: ColoPanelHeader, snapshot: ColoSnapshot | undefined, busy: string | undefined, cost?: ColoCostView): ColoViewModel {
  const base = { labPath: header.labPath, vmName: header.vmName, title: header.vmName, ...(cost === undefined ? {} : { cost }) };
  const readAt = snapshot === undefined ? 'Not read yet.' : `Read ${snapshot.readAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (each QMP question bounded to ${formatDelay(SNAPSHOT_BOUND_MS)}).`;
  const busyLine = busy === undefined ? undefined : `${busy[0]?.toUpperCase() ?? ''}${busy.slice(1)}…`;
  if (snapshot === undefined || snapshot.kind === 'no-pair') {
    const secondary = header.secondaryHost === undefined ? '' : ` (the secondary would run on ${header.secondaryHost})`;
    return {
      ...base,
      state: busy === undefined ? 'none' : 'busy',
      headline: busyLine ?? (snapshot === undefined ? 'Reading the pair…' : `No COLO pair${secondary}.`),
      ...(busy === undefined && snapshot !== undefined ? { advice: '"QEMU Lab: Start COLO Pair" sets one up.' } : {}),
      sides: [],
      facts: [],
      readAt,
      canFailOver: false,
    };
  }
  if (snapshot.kind === 'unreadable') {
    return { ...base, state: busy === undefined ? 'unreadable' : 'busy', headline: busyLine ?? 'The pair could not be read.', advice: snapshot.message, sides: [], facts: [], readAt, canFailOver: false };
  }
  const { status, runStates } = snapshot;
  const advice = stateAdvice(status);
  const failover = status.lastFailover;
  return {
    ...base,
    state: busy === undefined ? status.state : 'busy',
    headline: busyLine ?? headline(status),
    ...(advice === undefined || busy !== undefined ? {} : { advice }),
    sides: [sideView(status.primary, status.secondary, runStates.primary), sideView(status.secondary, status.primary, runStates.secondary)],
    facts: facts(status),
    ...(failover === undefined ? {} : { lastFailover: failoverWords(status, failover) }),
    readAt,
    canFailOver: busy === undefined && status.state !== 'failed-over' && (status.primary.alive || status.secondary.alive),
  };
}
