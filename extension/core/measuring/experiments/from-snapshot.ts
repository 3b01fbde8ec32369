/**
 * An experiment's `fromSnapshot`: its VM, once booted and checked, is snapshotted whole under that
 * name (a snapshot of that name an earlier run left is replaced: it came from another boot), and
 * each warm-up and repetition loads it first, so every one starts from the same guest state.
 */
import type { LabModel } from '../../lab/model';
import type { HostVmBackend, VmInstance } from '../../machines/vm/backend';
import { withSnapshotSubject } from '../../snapshots/snapshot-vm';
import { deleteSnapshot, listSnapshots, loadSnapshot, saveSnapshot } from '../../snapshots/vm-snapshots';

/** The experiment's start snapshot: its name, and what puts the VM back at it. */
export interface RestoreStart {
  readonly name: string;
  readonly load: () => Promise<void>;
}

/**
 * Takes snapshot `name` of the experiment's running VM `instance` (of `lab`), and returns what
 * loads it again.
 *
 * @throws SnapshotError when the VM cannot be snapshotted (a raw disk, a libvirt host, …).
 */
export async function takeStartSnapshot(backend: HostVmBackend, lab: LabModel, instance: VmInstance, name: string): Promise<RestoreStart> {
  // An experiment's VM is QEMU Lab's own, never in a COLO pair: no pair record to read.
  const context = { lab, backend, stateRoot: undefined };
  await withSnapshotSubject(context, instance, async (subject) => {
    if ((await listSnapshots(subject)).some((snapshot) => snapshot.name === name)) await deleteSnapshot(subject, name);
    await saveSnapshot(subject, name);
  });
  return {
    name,
    load: async () => {
      await withSnapshotSubject(context, instance, (subject) => loadSnapshot(subject, name));
    },
  };
}
