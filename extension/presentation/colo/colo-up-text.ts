/**
 * What `colo up` set up, in words: the CLI's text, and the parts the editor's notification and
 * log say the same way.
 */
import type { ColoUpResult } from '../../core/colo/colo-up';
import { sideHostSlot } from './colo-status-text';
import { formatDelay } from './colo-words';

/** `COLO pair running`, or `COLO pair already running` when `colo up` found it so. */
export function pairRunningWords(result: ColoUpResult): string {
  return `COLO pair ${result.alreadyRunning ? 'already ' : ''}running`;
}

/** `in COLO 1.2 s after migrate`, when the time is known (not for a pair found running). */
export function enteredColoWords(result: ColoUpResult): string | undefined {
  return result.enterColoMs === undefined ? undefined : `in COLO ${(result.enterColoMs / 1000).toFixed(1)} s after migrate`;
}

/** `qemu-lab colo up VM`: what was set up, where, and the first checkpoint watched. */
export function coloUpText(vmName: string, result: ColoUpResult): string {
  const { record } = result;
  const entered = enteredColoWords(result);
  const lines = [
    `${vmName}: ${pairRunningWords(result)} (${record.accel}, ${record.qemu.primary}).`,
    `  primary:   ${record.primary.host} (pid ${result.primaryPid ?? '?'})`,
    `  secondary: ${sideHostSlot(record.secondary)} (pid ${result.secondaryPid ?? '?'})`,
    `  ${entered === undefined ? 'in COLO; ' : `${entered}; `}checkpoint at least every ${formatDelay(record.checkpointDelayMs)}`,
    `  proxy sockets on ${record.plan.primaryAddress}; migration stream ${record.migrationUri}`,
  ];
  if (record.disk !== undefined) lines.push(`  disk ${record.disk.primaryImage} replicated to ${record.disk.secondaryImages.parent} (quorum + replication over NBD)`);
  if (result.firstCheckpoint !== undefined) {
    const { syncsBefore, syncsAfter, watchedMs } = result.firstCheckpoint;
    const syncs =
      syncsBefore === undefined && syncsAfter === undefined
        ? `QEMU ${/\d+\.\d+(\.\d+)?/.exec(record.qemu.primary)?.[0] ?? record.qemu.primary} cannot report checkpoints while in COLO: query-migrate counts no memory syncs there`
        : `memory syncs ${syncsBefore ?? '?'} → ${syncsAfter ?? '?'}`;
    lines.push(`  first checkpoint window watched for ${(watchedMs / 1000).toFixed(1)} s: the primary kept answering (${syncs})`);
  }
  return lines.join('\n') + '\n';
}
