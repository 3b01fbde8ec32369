import { QemuLabError } from '../errors';

/**
 * COLO fault tolerance could not be set up, watched or failed over. When it is raised by
 * `colo up`, no QEMU of the pair is left running (the primary is left only if it ran before).
 */
export class ColoError extends QemuLabError {}

/** What QEMU and accelerator a side ran, for errors that depend on them. */
export interface ColoQemuFacts {
  /** `QEMU emulator version 7.2.22 (Debian …)`. */
  readonly qemu: string;
  readonly accel: 'kvm' | 'tcg';
}

/**
 * The primary's QMP stopped answering during COLO: a checkpoint hung. Seen on QEMU 7.2 under
 * TCG, where the first checkpoint deadlocks the primary on the global lock (gdb: the migration
 * thread waits for the BQL in migrate_start_colo_process while the main loop waits for it too).
 * Both QEMUs of the pair have been killed when this is raised.
 */
export class ColoCheckpointHungError extends ColoError {
  constructor(
    readonly vmName: string,
    readonly facts: ColoQemuFacts,
    readonly unresponsiveMs: number,
  ) {
    super(
      `The COLO primary of VM "${vmName}" stopped answering QMP for ${(unresponsiveMs / 1000).toFixed(1)} s during a checkpoint (${facts.qemu}, ${facts.accel.toUpperCase()}): the checkpoint hung, so both QEMUs of the pair were killed.`,
      {
        hint:
          facts.accel === 'tcg'
            ? 'QEMU 7.2 under TCG deadlocks at the first COLO checkpoint (a QEMU limit, not a setting): run COLO under KVM, or keep checkpointDelay long and use the pair only for failover (see the README, "COLO fault tolerance").'
            : 'A checkpoint should not hang under KVM: look at qemu.stderr.log of both QEMUs, and try a newer QEMU.',
      },
    );
  }
}

/**
 * The primary finished the first migration but did not enter COLO (`query-migrate` says
 * completed, `query-colo-status` mode none): it will never checkpoint. QEMU 10.0 before 10.0.7
 * (bookworm-backports ships 10.0.2) and 10.1 before the backport have this regression (fixed by "migration: Fix transition to COLO state from precopy",
 * in 10.0.7 and 10.2). Both QEMUs of the pair have been killed when this is raised.
 */
export class ColoNotReplicatingError extends ColoError {
  constructor(
    readonly vmName: string,
    readonly facts: ColoQemuFacts,
    readonly migrationStatus: string,
  ) {
    super(
      `The primary of VM "${vmName}" never entered COLO (${facts.qemu}): its migration ended "${migrationStatus}" instead of going on as "colo", so it would never checkpoint; both QEMUs of the pair were killed.`,
      {
        hint: 'QEMU 10.0 before 10.0.7 has this regression (fixed by "migration: Fix transition to COLO state from precopy", in 10.0.7 and 10.2); use another QEMU release.',
      },
    );
  }
}

/**
 * `colo up` failed after the primary was up. The message says what became of the primary, so
 * nobody takes an unprotected VM for a protected one: `ended` when `colo up` had booted it,
 * `running` when it ran before `colo up` (it goes on as the plain VM it was, with no secondary),
 * `still-running` when it was to be ended and could not be.
 */
export class ColoUpFailedError extends ColoError {
  constructor(
    readonly vmName: string,
    readonly primary: 'ended' | 'running' | 'still-running',
    message: string,
    options: { hint?: string; cause: unknown },
  ) {
    super(message, options);
  }
}
