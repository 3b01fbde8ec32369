/**
 * What a migration is asked to do, and the hooks through which it reports and is steered.
 */
import { VmError } from '../errors';
import type { LabModel } from '../lab/model';
import { closestMatch } from '../lab/suggest';
import type { QmpClient } from '../infrastructure/qmp/client';
import type { UpDependencies } from '../machines/vm/up';
import type { NonConvergence } from './convergence';
import type { DiskCopyProgress, DiskStorage } from './disk-copy';
import type { MigrationControls } from './controls';
import type { MigrationPhase } from './phases';
import type { MigrationProgress } from './progress';
import type { MigrationEnd } from './qmp-link';
import { settingsFromSpec, type MigrationSettings } from './settings';

/** One migration to run. */
export interface MigrationRequest {
  readonly lab: LabModel;
  readonly vmName: string;
  /** The destination host's name in the lab. */
  readonly to: string;
  readonly settings: MigrationSettings;
  /** The lab's `migrations:` entry this came from, if any (kept in the summary). */
  readonly name?: string;
  /**
   * Allow the destination to be the host the VM runs on: a second QEMU on the same machine,
   * migrated over loopback. For tests and measurements; not a real move.
   */
  readonly allowSameHost?: boolean;
  /** The destination's address as the source reaches it; by default found out (see `uri.ts`). */
  readonly destinationAddress?: string;
  /**
   * How a disk guest's disk goes to another host: `copy` (the default: mirrored to a new overlay
   * there) or `shared` (both hosts see the overlay at the same path). Within one host the disk
   * is always the same file.
   */
  readonly storage?: DiskStorage;
}

/** What to do when the migration does not converge. */
export type NonConvergencePolicy = 'continue' | 'cancel' | 'postcopy';

/** Hooks and limits of one migration. */
export interface MigrationOptions {
  /** Aborting cancels the migration (`migrate_cancel`) and rolls back, while that is still possible. */
  readonly signal?: AbortSignal;
  readonly onPhase?: (phase: MigrationPhase) => void;
  /** Every `query-migrate` sample while the migration runs. */
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** Once, when the migration looks like it will never converge, with the fixes. */
  readonly onNonConvergence?: (finding: NonConvergence) => void;
  /** While a disk guest's disk is copied (the copy phase): bytes copied of the bytes to copy. */
  readonly onDiskProgress?: (progress: DiskCopyProgress) => void;
  /** Things a person should know (the SSH endpoint will change, a shared disk is assumed…). */
  readonly onNote?: (text: string) => void;
  /** After a non-convergence finding: keep going (default), cancel, or switch to postcopy. */
  readonly whenNotConverging?: NonConvergencePolicy;
  /** Switch to postcopy this long after `migrate` (needs the postcopy capability). */
  readonly postcopyAfterMs?: number;
  /** Steering while it runs (the editor's "switch to postcopy"). */
  readonly controls?: MigrationControls;
  /** `query-migrate` interval besides the events. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** No byte moved for this long counts as a failure (a cut link). Default 30 s. */
  readonly stallTimeoutMs?: number;
  /** The whole transfer may take this long, then it is cancelled. Default: no limit. */
  readonly timeoutMs?: number;
  /** How long the destination may take to run the guest once the source completed. Default 30 s. */
  readonly finishTimeoutMs?: number;
  /** How long a rollback keeps trying to end an unreachable destination QEMU. Default 60 s. */
  readonly rollbackWindowMs?: number;
  /** Dirty syncs in a row that make a non-convergence finding. Default 5. */
  readonly convergenceSyncs?: number;
  /** Sees every QMP client the migration connects (tests inject faults through it). */
  readonly onQmpConnected?: (end: MigrationEnd, client: QmpClient) => void;
}

/** What a migration needs from its surroundings: the same collaborators as `up`. */
export type MigrationDependencies = UpDependencies;

/** The request for a lab file's `migrations:` entry. */
export function requestFromLab(lab: LabModel, name: string): MigrationRequest {
  const spec = lab.migrations.get(name);
  if (spec === undefined) {
    const names = [...lab.migrations.keys()];
    const guess = closestMatch(name, names);
    throw new VmError(`The lab file ${lab.path} has no migration "${name}".`, {
      hint: guess !== undefined ? `Did you mean "${guess}"?` : names.length > 0 ? `Its migrations are: ${names.join(', ')}.` : 'Add one under migrations: in the lab file.',
    });
  }
  return {
    lab,
    vmName: spec.vm,
    to: spec.to,
    settings: settingsFromSpec(spec),
    name,
    ...(spec.sameHost ? { allowSameHost: true } : {}),
    ...(spec.storage === undefined ? {} : { storage: spec.storage }),
  };
}
