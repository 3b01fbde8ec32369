/**
 * What a migration between two libvirt hosts carries from phase to phase: the facts `begin`
 * established, and the state the later phases add to (each phase is a file of this folder).
 */
import type { Virsh } from '../../infrastructure/libvirt/virsh';
import type { PortForward } from '../../infrastructure/qemu/launch-plan';
import type { VmKey } from '../../machines/vm/backend';
import type { LibvirtDomainAccess } from '../../machines/vm/libvirt-backend';
import type { VmRunFiles } from '../../machines/vm/run-dir';
import type { VmLocation, VmRecord } from '../../machines/vm/vm-record';
import { MigrationError } from '../errors';
import type { MigrationStateMachine, MigrationStep } from '../phases';
import type { MigrationProgress } from '../progress';
import type { MigrationDependencies } from '../request';

/** What begin established. */
export interface LibvirtFacts {
  readonly home: VmKey;
  readonly source: VmRecord;
  readonly sourceKey: VmKey;
  readonly destinationKey: VmKey;
  readonly destinationLocation: VmLocation;
  readonly sourceVirsh: Virsh;
  readonly destinationVirsh: Virsh;
  readonly sourceDomain: string;
  readonly destinationDomain: string;
  readonly peerUri: string;
  readonly migrateUri: string;
  readonly tuningArgs: readonly string[];
  readonly downtimeLimitMs: number | undefined;
  readonly sourceRunState: 'running' | 'paused';
}

/** The state of one libvirt migration. */
export interface LibvirtMigrationState {
  readonly machine: MigrationStateMachine;
  readonly startedAt: Date;
  facts?: LibvirtFacts;
  /** The destination's run directory was made: a failure removes what is in it. */
  destinationDir?: string;
  xmlPath?: string;
  destinationFiles?: VmRunFiles;
  forwards: PortForward[];
  sshPort?: number;
  lastProgress?: MigrationProgress;
  switchedToPostcopy: boolean;
  readonly warnings: string[];
}

/** A migration error of phase `step`, with what to do. */
export function fail(step: MigrationStep, message: string, hint: string): MigrationError {
  return new MigrationError(message, { phase: step, hint });
}

/** The libvirt part of the dependencies, or why there is none. */
export function libvirtOf(deps: MigrationDependencies): LibvirtDomainAccess {
  if (deps.libvirt === undefined) throw fail('begin', 'This session has no libvirt backend.', 'Run the migration from the CLI or an editor window with the lab open.');
  return deps.libvirt;
}
