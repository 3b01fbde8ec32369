/**
 * A COLO pair's status as terminal text (`qemu-lab colo status`), in the words the editor's tree
 * and panel use (`colo-words.ts`), so a state reads the same everywhere.
 */
import type { ColoPairState, ColoPairStatus, ColoSideStatus } from '../../core/colo/pair-status';
import { sshEndpointWords } from '../vm/vm-words';
import { checkpointLookWords, failoverWords, formatDelay, stateAdvice, stateWords } from './colo-words';

/** `lab-b/colo-secondary`: a side's host, and its slot there when it has one. */
export function sideHostSlot(side: { readonly host: string; readonly slot?: string | undefined }): string {
  return `${side.host}${side.slot === undefined ? '' : `/${side.slot}`}`;
}

/** One side in a line: where, pid, COLO mode, migration, memory syncs, QMP response time, SSH. */
export function sideLine(side: ColoSideStatus): string {
  const where = sideHostSlot(side);
  if (!side.alive) return `  ${side.role.padEnd(9)} ${where}: not running`;
  if (side.qmp === 'unresponsive') return `  ${side.role.padEnd(9)} ${where} (pid ${side.pid ?? '?'}): QMP does not answer`;
  const f = side.facts;
  const ssh = side.ssh === undefined ? '' : `, ssh ${sshEndpointWords(side.ssh)}`;
  const syncs = f?.dirtySyncCount === undefined ? '' : `, memory syncs ${f.dirtySyncCount}`;
  const migration = f?.migrationStatus === undefined ? '' : `, migration ${f.migrationStatus}`;
  return `  ${side.role.padEnd(9)} ${where} (pid ${side.pid ?? '?'}): mode ${f?.mode ?? '?'} (last ${f?.lastMode ?? '?'}, reason ${f?.reason ?? '?'})${migration}${syncs}, QMP ${side.responseMs ?? '?'} ms${ssh}`;
}

/** The CLI command that does what {@link stateAdvice} advises, when it advises something. */
export function adviceCommand(vmName: string, state: ColoPairState): string | undefined {
  switch (state) {
    case 'hung':
    case 'primary-lost':
      return `qemu-lab colo failover ${vmName}`;
    case 'secondary-lost':
      return `qemu-lab colo failover ${vmName} --to primary`;
    case 'stopped':
      return `qemu-lab colo down ${vmName}`;
    default:
      return undefined;
  }
}

/** `qemu-lab colo status VM`: the pair's state, both sides, its disk, the last failover, and what to do next. */
export function coloStatusText(vmName: string, status: ColoPairStatus): string {
  const lines = [
    `${vmName}: ${stateWords(status.state)} (COLO, ${status.accel}, checkpoint at least every ${formatDelay(status.checkpointDelayMs)}, since ${status.startedAt})`,
    sideLine(status.primary),
    sideLine(status.secondary),
  ];
  if (status.checkpoints !== undefined) lines.push(`  checkpoints: ${checkpointLookWords(status.checkpoints)}`);
  if (status.disk !== undefined) lines.push(`  disk: ${status.disk.primaryImage} on the primary, replicated to ${status.disk.secondaryImages.parent} on the secondary`);
  if (status.lastFailover !== undefined) lines.push(`  last failover: ${failoverWords(status, status.lastFailover)}`);
  const advice = stateAdvice(status);
  const command = adviceCommand(vmName, status.state);
  if (advice !== undefined) lines.push(`  ${advice}${command === undefined ? '' : ` (${command})`}`);
  return lines.join('\n') + '\n';
}
