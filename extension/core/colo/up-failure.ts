/**
 * Undoing a `colo up` that failed once the primary was up: nothing it started stays. The
 * secondary always goes, and the pair's record. The primary goes when `colo up` booted it, or
 * when it hung or would never replicate; a primary that ran before goes on as the plain VM it was
 * (its COLO part taken off) — it is the user's VM, not ours to end. The error says which.
 */
import { describeError, QemuLabError } from '../errors';
import type { HostVmBackend, VmKey } from '../machines/vm/backend';
import { isOurQemu } from '../machines/vm/process';
import { ColoCheckpointHungError, ColoNotReplicatingError, ColoUpFailedError } from './errors';
import { killSide, type ColoSide } from './pair-handle';
import { removePairRecord } from './pair-record';
import { sideOf, stripPrimary } from './setup-steps';

/** Where a failed `colo up` had got to. */
export interface FailedUp {
  readonly backend: HostVmBackend;
  readonly stateRoot: string;
  readonly labPath: string;
  readonly vmName: string;
  readonly primary: ColoSide;
  /** `colo up` booted the primary itself (it did not run before). */
  readonly bootedPrimary: boolean;
  /** COLO objects, a disk copy or a migration may be on the primary. */
  readonly touchedPrimary: boolean;
  readonly secondary: ColoSide | undefined;
  readonly secondaryKey: VmKey;
  readonly disk: boolean;
  /** The disk copy paused the guest. */
  readonly pausedByUs: boolean;
}

async function primaryRuns(side: ColoSide): Promise<boolean> {
  const instance = side.instance;
  if (instance?.pid === undefined) return false;
  return isOurQemu(side.system, instance.pid, instance.record.files.pidFile).catch(() => true);
}

/** Cleans up after `error` (see the file comment) and returns the error to throw. */
export async function undoFailedUp(error: unknown, failed: FailedUp): Promise<unknown> {
  const { backend, primary, vmName } = failed;
  if (failed.secondary !== undefined) await killSide(failed.secondary).catch(() => undefined);
  else {
    const left = await backend.findAt(failed.secondaryKey).catch(() => undefined);
    if (left !== undefined) await killSide(sideOf(backend, 'secondary', failed.secondaryKey, left)).catch(() => undefined);
  }
  await removePairRecord(failed.stateRoot, failed.labPath, vmName).catch(() => undefined);
  // These two killed both QEMUs, and their messages say so.
  if (error instanceof ColoCheckpointHungError || error instanceof ColoNotReplicatingError) {
    await killSide(primary).catch(() => undefined);
    return error;
  }

  const host = primary.key.host;
  const why = error instanceof QemuLabError ? error.message : describeError(error);
  const hint = error instanceof QemuLabError ? error.hint : undefined;
  const again = `Fix that and run qemu-lab colo up ${vmName} again.`;
  const failure = `Could not set up the COLO pair of VM "${vmName}": ${why}`;
  if (failed.bootedPrimary && primary.instance !== undefined) {
    await backend.kill(primary.instance).catch(() => undefined);
    if (!(await primaryRuns(primary))) {
      return new ColoUpFailedError(vmName, 'ended', `${failure}\nThe primary QEMU that colo up had booted on "${host}" was ended: nothing of the pair is left.`, { hint: [hint, again].filter(Boolean).join(' '), cause: error });
    }
    return new ColoUpFailedError(vmName, 'still-running', `${failure}\nVM "${vmName}" still runs on "${host}" without fault tolerance (no secondary): colo up booted it and could not end it.`, {
      hint: [hint, `End it with qemu-lab kill ${vmName}, or run qemu-lab colo up ${vmName} again once the cause is fixed.`].filter(Boolean).join(' '),
      cause: error,
    });
  }
  if (failed.touchedPrimary) await stripPrimary(backend, primary, { disk: failed.disk, resume: failed.pausedByUs }).catch(() => undefined);
  if (!(await primaryRuns(primary))) {
    return new ColoUpFailedError(vmName, 'ended', `${failure}\nVM "${vmName}" is not running on "${host}" any more.`, { hint: [hint, `Start it with qemu-lab up ${vmName}, or ${again[0]?.toLowerCase()}${again.slice(1)}`].filter(Boolean).join(' '), cause: error });
  }
  return new ColoUpFailedError(vmName, 'running', `${failure}\nVM "${vmName}" keeps running on "${host}" as before, without fault tolerance: no secondary replicates it.`, {
    hint: [hint, again].filter(Boolean).join(' '),
    cause: error,
  });
}
