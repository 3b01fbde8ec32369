/**
 * The state one migration carries from phase to phase. Each phase (`begin.ts` … `rollback.ts`)
 * reads what the earlier ones set and adds its own part.
 */
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';
import type { QmpEvent } from '../infrastructure/qmp/messages';
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import type { VmSpec } from '../lab/model';
import type { VmInstance, VmKey } from '../machines/vm/backend';
import type { VmLocation } from '../machines/vm/vm-record';
import type { NonConvergence } from './convergence';
import type { DiskStorage, GuestDisk } from './disk-copy';
import type { MigrationStateMachine } from './phases';
import type { MigrationProgress } from './progress';
import type { QmpLink } from './qmp-link';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from './request';
import type { SettingsInEffect } from './settings';

/** What `begin` established. */
export interface BeginFacts {
  readonly vm: VmSpec;
  /** Where the lab file puts the VM (its record points to where it runs). */
  readonly home: VmKey;
  readonly source: VmInstance;
  readonly sourceKey: VmKey;
  readonly sourceSystem: HostSystem;
  readonly sourceLink: QmpLink;
  /** The source's run state before the migration (`running` or `paused`), to restore on rollback. */
  readonly sourceRunState: string;
  readonly destinationKey: VmKey;
  readonly destinationLocation: VmLocation;
  readonly destinationSystem: HostSystem;
  readonly destinationBinary: string;
  /** The address the destination listens on and the source connects to. */
  readonly address: string;
  readonly versions: { readonly source: QemuVersion; readonly destination: QemuVersion };
  /** A disk guest's disk between two hosts: how it moves (see {@link DiskMove}); absent for the built-in guest and within one host. */
  readonly disk?: DiskMove;
}

/**
 * How a disk guest's disk goes with a migration to another host: `shared` — the destination opens
 * the source's overlay at the same path; `copy` — a new overlay on the destination receives a
 * mirror of the source's (`sync: top` over the same base image there, `full` when the
 * destination has no copy of the base).
 */
export type DiskMove =
  | { readonly storage: Extract<DiskStorage, 'shared'>; readonly source: GuestDisk }
  | { readonly storage: Extract<DiskStorage, 'copy'>; readonly source: GuestDisk; readonly sync: 'top' | 'full' };

/** The mutable state of one migration. */
export interface MigrationContext {
  readonly request: MigrationRequest;
  readonly deps: MigrationDependencies;
  readonly options: MigrationOptions;
  readonly machine: MigrationStateMachine;
  readonly startedAt: Date;
  readonly note: (text: string) => void;
  begin?: BeginFacts;
  /** Set once prepare asked the backend to start a destination QEMU: rollback cleans it up. */
  destinationStarted: boolean;
  destination?: VmInstance;
  /** The destination's disk once its QEMU opened it (a disk copy goes there; rollback removes a copy's). */
  destinationDisk?: GuestDisk;
  /** The source's mirror job and NBD client node were started: rollback ends them. */
  mirrorStarted: boolean;
  /** The disk copy was in step when memory began to move, with these bytes copied. */
  diskCopied?: { readonly bytes: number; readonly ms: number };
  destinationLink?: QmpLink;
  uri?: string;
  /** The source's capabilities and parameters before perform changed them. */
  sourceBefore?: { readonly capabilities: ReadonlyMap<string, boolean>; readonly parameters: Readonly<Record<string, number>> };
  /** Called with each event of the source's link (perform wakes its loop with it). */
  sourceEvents?: (event: QmpEvent) => void;
  /** `migrate` was sent. */
  migrateSent: boolean;
  settings?: SettingsInEffect;
  lastProgress?: MigrationProgress;
  /** The source entered postcopy: from then on the guest runs on the destination. */
  postcopyStarted: boolean;
  switchedToPostcopy: boolean;
  maxCpuThrottlePercentage?: number;
  nonConvergence?: NonConvergence;
  /** Problems met after the guest moved (confirm), reported but not failing it. */
  readonly warnings: string[];
}
