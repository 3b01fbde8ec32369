/**
 * What the tree shows of a VM's COLO pair: a short part of the VM item's description and lines
 * for its tooltip. Pure (no `vscode`), so every state's wording is unit-tested.
 */
import type { FaultToleranceSpec } from '../../core/lab/model';
import type { ColoSideStatus } from '../../core/colo/pair-status';
import type { ColoSnapshot } from './colo-snapshot';
import { checkpointWords, failoverWords, hostOf, sideWhere, stateAdvice, stateWords } from './colo-words';

/** The COLO part of a VM item. */
export interface ColoTreeView {
  /** Appended to the item's description: `COLO: primary local · secondary lab-b · replicating`. */
  readonly description: string;
  /** Plain-text lines for the tooltip. */
  readonly tooltip: readonly string[];
}

function sideLine(side: ColoSideStatus, other: ColoSideStatus, runState: string | undefined): string {
  const where = `${side.role} on ${sideWhere(side, other)}`;
  if (!side.alive) return `${where}: not running`;
  if (side.qmp === 'unresponsive') return `${where}, pid ${side.pid ?? '?'}: QMP does not answer`;
  const f = side.facts;
  const migration = f?.migrationStatus === undefined ? '' : `, migration ${f.migrationStatus}`;
  return `${where}, pid ${side.pid ?? '?'}: ${runState ?? 'run state ?'}, COLO mode ${f?.mode ?? '?'}${migration}, QMP ${side.responseMs ?? '?'} ms`;
}

/**
 * The COLO part of the item of a VM that declares `faultTolerance`. `snapshot` undefined: not
 * read yet; `busy`: a COLO command of the editor runs on it now (`starting`, `failing over`, …).
 */
export function coloTreeView(ft: FaultToleranceSpec, snapshot: ColoSnapshot | undefined, busy: string | undefined): ColoTreeView {
  if (busy !== undefined) return { description: `COLO: ${busy}…`, tooltip: [`COLO: ${busy}…`] };
  if (snapshot === undefined) return { description: 'COLO: …', tooltip: ['COLO: reading the pair…'] };
  if (snapshot.kind === 'no-pair') {
    return { description: 'COLO: no pair', tooltip: [`COLO: no pair (the secondary would run on ${ft.secondary}). "Start COLO Pair" sets one up.`] };
  }
  if (snapshot.kind === 'unreadable') return { description: 'COLO: status unknown', tooltip: [`COLO: the pair could not be read: ${snapshot.message}`] };
  const { status, runStates } = snapshot;
  const { primary, secondary } = status;
  const failover = status.lastFailover;
  let description: string;
  if (status.state === 'failed-over' && failover !== undefined) description = `COLO: failed over to ${hostOf(status, failover.survivor)} (${failover.survivor})`;
  else if (status.state === 'replicating') description = `COLO: primary ${primary.host} · secondary ${secondary.host} · ${primary.facts?.migrationStatus ?? '?'}/${primary.facts?.mode ?? '?'}`;
  else description = `COLO: ${stateWords(status.state)}`;
  const tooltip = [
    `COLO: ${stateWords(status.state)} (${status.accel.toUpperCase()}, since ${status.startedAt})`,
    sideLine(primary, secondary, runStates.primary),
    sideLine(secondary, primary, runStates.secondary),
    `checkpoints: ${checkpointWords(status)}`,
  ];
  if (failover !== undefined) tooltip.push(`last failover: ${failoverWords(status, failover)}`);
  const advice = stateAdvice(status);
  if (advice !== undefined) tooltip.push(advice);
  if (status.state === 'failed-over' && failover !== undefined) tooltip.push(`The guest runs on the ${failover.survivor} (${hostOf(status, failover.survivor)}) alone, without replication.`);
  return { description, tooltip };
}
