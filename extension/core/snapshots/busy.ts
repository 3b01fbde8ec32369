/**
 * Snapshots are refused while a VM migrates or replicates (COLO): a snapshot stops the guest and
 * writes its state while the migration stream reads it. QEMU's own word (`query-status`,
 * `query-migrate`) and the VM's COLO pair record both count.
 */
import type { ColoPairRecord } from '../colo/pair-record';
import { isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';
import { SnapshotBusyError } from './errors';

/** Run states of a QEMU that is a migration's end or a COLO side. */
const BUSY_RUN_STATES: ReadonlySet<string> = new Set(['inmigrate', 'postmigrate', 'finish-migrate', 'colo']);

/** Migration states of a migration still going on (`completed`, `failed`, `cancelled`, `none` are over). */
const BUSY_MIGRATION_STATES: ReadonlySet<string> = new Set([
  'setup',
  'active',
  'device',
  'wait-unplug',
  'pre-switchover',
  'postcopy-active',
  'postcopy-paused',
  'postcopy-recover',
  'postcopy-recover-setup',
  'colo',
  'cancelling',
]);

function field(reply: QmpValue, name: string): string | undefined {
  if (!isQmpObject(reply)) return undefined;
  const value = reply[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Refuses a snapshot of VM `vmName` while it is busy: given its `query-status` and
 * `query-migrate` replies and its COLO pair record (undefined when it is in no pair).
 *
 * @throws SnapshotBusyError saying what it is busy with and what to do.
 */
export function refuseWhenBusy(vmName: string, status: QmpValue, migration: QmpValue, pair: ColoPairRecord | undefined): void {
  if (pair !== undefined && pair.state === 'replicating') {
    throw new SnapshotBusyError(`VM "${vmName}" is in a COLO pair that replicates it: a snapshot would break the replication.`, {
      hint: `Take snapshots once it runs alone: after qemu-lab colo failover ${vmName}, or qemu-lab colo down ${vmName}.`,
    });
  }
  const runState = field(status, 'status');
  const migrationState = field(migration, 'status');
  if ((runState !== undefined && BUSY_RUN_STATES.has(runState)) || (migrationState !== undefined && BUSY_MIGRATION_STATES.has(migrationState))) {
    const what = migrationState !== undefined && BUSY_MIGRATION_STATES.has(migrationState) ? `migration ${migrationState}` : `run state ${runState ?? '?'}`;
    throw new SnapshotBusyError(`VM "${vmName}" is migrating or replicating (${what}): a snapshot now would fight the migration.`, {
      hint: 'Wait for the migration to end (qemu-lab status shows where the VM runs), then take or load the snapshot there.',
    });
  }
}
