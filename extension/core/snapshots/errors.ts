/**
 * The errors of whole-VM snapshots. Each says which VM and snapshot, and what to do; a job's own
 * error is QEMU's text as it gave it.
 */
import { VmError } from '../errors';

/** A snapshot cannot be taken, loaded, deleted or listed. */
export class SnapshotError extends VmError {}

/** No snapshot of that name; the message lists the ones there are. */
export class SnapshotNotFoundError extends SnapshotError {
  constructor(
    readonly vmName: string,
    readonly snapshot: string,
    /** The names of the snapshots the VM has. */
    readonly known: readonly string[],
  ) {
    super(`VM "${vmName}" has no snapshot "${snapshot}"; ${known.length === 0 ? 'it has none' : `it has: ${known.join(', ')}`}.`, {
      hint: known.length === 0 ? `Take one with qemu-lab snapshot save ${vmName} NAME.` : `Use one of those names (qemu-lab snapshot list ${vmName}).`,
    });
  }
}

/** A snapshot of that name exists already; saving never replaces one. */
export class SnapshotExistsError extends SnapshotError {
  constructor(
    readonly vmName: string,
    readonly snapshot: string,
  ) {
    super(`VM "${vmName}" already has a snapshot "${snapshot}".`, {
      hint: `Pick another name, or delete it first: qemu-lab snapshot delete ${vmName} ${snapshot}.`,
    });
  }
}

/** A writable disk of the VM is not qcow2 (raw): it cannot hold a snapshot, so none is taken. */
export class SnapshotDiskFormatError extends SnapshotError {
  constructor(
    readonly vmName: string,
    /** The disk as QEMU names its device (`virtio2`), and its file and driver. */
    readonly disk: { readonly device: string; readonly file: string; readonly driver: string },
  ) {
    super(
      `VM "${vmName}" has a writable ${disk.driver} disk (${disk.device}, ${disk.file}): only qcow2 images can hold snapshots, and a snapshot without that disk would not restore the VM.`,
      { hint: `Convert it (qemu-img convert -O qcow2 ${disk.file} ${disk.file}.qcow2) and attach the qcow2, or attach it read-only.` },
    );
  }
}

/** The VM is migrating or in a COLO pair: a snapshot now would fight the migration stream. */
export class SnapshotBusyError extends SnapshotError {}

/** QEMU ran the snapshot job and it failed; `jobError` is QEMU's own text. */
export class SnapshotJobError extends SnapshotError {
  constructor(
    readonly command: string,
    readonly jobError: string,
    options: { hint: string },
  ) {
    super(`QEMU's ${command} job failed: ${jobError}`, options);
  }
}

/** This VM cannot have snapshots here: a libvirt host, a QEMU without snapshot jobs, no disk for its memory. */
export class SnapshotUnsupportedError extends SnapshotError {}
