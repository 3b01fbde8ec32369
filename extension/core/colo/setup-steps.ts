/** Small steps of `colo up`: a setup command that names its side, the version check, undoing the primary's part. */
import { describeError } from '../errors';
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';
import type { VmSpec } from '../lab/model';
import type { QmpValue } from '../infrastructure/qmp/messages';
import type { HostVmBackend, VmInstance, VmKey } from '../machines/vm/backend';
import { setColoCapabilities } from './capabilities';
import { ColoError } from './errors';
import type { ColoSide } from './pair-handle';
import type { ColoRole } from './pair-record';
import { DISK_IDS, primaryDiskFailoverCommands } from './disk-args';
import { primaryColoRemovalCommands } from './primary-objects';

/** A side of a pair from a booted or found instance. */
export function sideOf(backend: HostVmBackend, role: ColoRole, key: VmKey, instance: VmInstance): ColoSide {
  return { role, key, system: backend.systemOf(key), instance };
}

/** One setup command on a side; a failure says which side and command, and where QEMU's output is. */
export async function command(backend: HostVmBackend, side: ColoSide, name: string, args?: Record<string, QmpValue>): Promise<QmpValue> {
  const instance = side.instance as VmInstance;
  try {
    return await backend.qmp(instance, name, args);
  } catch (error) {
    throw new ColoError(`The COLO ${side.role} of VM "${side.key.vmName}" refused ${name}: ${describeError(error)}`, {
      hint: `QEMU's output is in ${instance.record.files.stderrLog} on host "${side.key.host}".`,
      cause: error,
    });
  }
}

/**
 * Sets COLO's migration capabilities on a side (see capabilities.ts) and returns the set its QEMU
 * took; `known`, the other side's set, is set as it is.
 */
export async function enableColo(backend: HostVmBackend, side: ColoSide, qemu: string, known?: readonly string[]): Promise<string[]> {
  const instance = side.instance as VmInstance;
  try {
    return await setColoCapabilities((name, args) => backend.qmp(instance, name, args), `the COLO ${side.role} of VM "${side.key.vmName}"`, qemu, known);
  } catch (error) {
    const where = `QEMU's output is in ${instance.record.files.stderrLog} on host "${side.key.host}".`;
    if (error instanceof ColoError) throw new ColoError(error.message, { hint: `${error.hint ?? ''} ${where}`.trim(), cause: error });
    throw new ColoError(`The COLO ${side.role} of VM "${side.key.vmName}" did not answer query-migrate-capabilities: ${describeError(error)}`, { hint: where, cause: error });
  }
}

/** Both sides must run the same QEMU release: every checkpoint sends device state. */
export function checkVersions(vm: VmSpec, primary: QemuVersion, secondary: QemuVersion, secondaryHost: string): void {
  if (primary.major !== secondary.major || primary.minor !== secondary.minor) {
    throw new ColoError(`QEMU differs between the primary (${primary.major}.${primary.minor}) and the secondary host "${secondaryHost}" (${secondary.major}.${secondary.minor}).`, {
      hint: `COLO sends device state at every checkpoint: install the same QEMU on both hosts for VM "${vm.name}".`,
    });
  }
}

/**
 * Takes the COLO part off a primary that goes on as a plain VM: a migration under way is
 * cancelled (and the disk copy, and the replication child), the objects and chardevs removed,
 * COLO left, `x-colo` cleared (else its next plain migration would start COLO), the guest resumed
 * when the disk copy paused it. Each step may fail (not started, not added): that is ignored.
 */
export async function stripPrimary(backend: HostVmBackend, side: ColoSide, options: { disk: boolean; resume: boolean }): Promise<void> {
  const instance = side.instance as VmInstance;
  const steps: { command: string; args?: Record<string, QmpValue> }[] = [
    { command: 'migrate_cancel' },
    ...(options.disk ? [{ command: 'block-job-cancel', args: { device: DISK_IDS.resync, force: true } }, ...primaryDiskFailoverCommands()] : []),
    ...primaryColoRemovalCommands(),
    { command: 'x-colo-lost-heartbeat' },
    { command: 'migrate-set-capabilities', args: { capabilities: [{ capability: 'x-colo', state: false }] } },
    // The disk copy paused the guest; it goes on as a plain VM.
    ...(options.resume ? [{ command: 'cont' }] : []),
  ];
  for (const step of steps) await backend.qmp(instance, step.command, step.args).catch(() => undefined);
}
