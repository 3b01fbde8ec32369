/**
 * What one QEMU of a COLO pair says about itself: `query-colo-status` (mode, last mode, why it
 * left COLO), the migration status, and the memory syncs of `query-migrate` — QEMU counts no
 * checkpoints, but each checkpoint syncs the dirty bitmap once, so the sync count after the
 * first migration is the closest figure it exposes.
 */
import { isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';

/** `query-colo-status` mode: `primary`, `secondary` or `none`. */
export type ColoMode = 'primary' | 'secondary' | 'none';

/** One side's COLO facts, as read over QMP. */
export interface ColoSideFacts {
  readonly mode: ColoMode | 'unknown';
  readonly lastMode: ColoMode | 'unknown';
  /** Why it left COLO: `none`, `request` (x-colo-lost-heartbeat), `error`, … */
  readonly reason: string;
  /** `query-migrate` status: `colo`, `completed`, `active`, … (undefined on an incoming side). */
  readonly migrationStatus: string | undefined;
  /** `ram.dirty-sync-count`: grows by one per checkpoint once in COLO. */
  readonly dirtySyncCount: number | undefined;
  /** `ram.transferred`, bytes sent so far (first migration and checkpoints). */
  readonly transferredBytes: number | undefined;
}

function mode(value: QmpValue | undefined): ColoMode | 'unknown' {
  return value === 'primary' || value === 'secondary' || value === 'none' ? value : 'unknown';
}

function numberAt(value: QmpValue | undefined, key: string): number | undefined {
  if (!isQmpObject(value)) return undefined;
  const n = value[key];
  return typeof n === 'number' ? n : undefined;
}

/** Reads the replies of `query-colo-status` and `query-migrate`. */
export function parseSideFacts(coloStatus: QmpValue, migrate: QmpValue | undefined): ColoSideFacts {
  const colo = isQmpObject(coloStatus) ? coloStatus : {};
  const mig = isQmpObject(migrate) ? migrate : {};
  const reason = colo.reason;
  return {
    mode: mode(colo.mode),
    lastMode: mode(colo['last-mode']),
    reason: typeof reason === 'string' ? reason : 'unknown',
    migrationStatus: typeof mig.status === 'string' ? mig.status : undefined,
    dirtySyncCount: numberAt(mig.ram, 'dirty-sync-count'),
    transferredBytes: numberAt(mig.ram, 'transferred'),
  };
}

/** How the primary stands after `migrate` was sent. */
export type PrimaryProgress =
  /** Still sending the first copy of memory. */
  | 'migrating'
  /** In COLO: replicating. */
  | 'colo'
  /** The migration ended without COLO (QEMU 10.0 before 10.0.7). */
  | 'not-replicating'
  /** The migration failed or was cancelled. */
  | 'failed';

/** Judges the primary from its facts. */
export function primaryProgress(facts: ColoSideFacts): PrimaryProgress {
  if (facts.mode === 'primary' || facts.migrationStatus === 'colo') return 'colo';
  if (facts.migrationStatus === 'completed') return 'not-replicating';
  if (facts.migrationStatus === 'failed' || facts.migrationStatus === 'cancelled') return 'failed';
  return 'migrating';
}
