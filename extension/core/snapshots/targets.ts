/**
 * Which block nodes a whole-VM snapshot covers: every writable disk of the guest (each must be
 * qcow2), plus the state disk when the VM has one; and the node that holds the memory (the state
 * disk, else the guest's first writable disk). QEMU would snapshot only the nodes it is given, so
 * a writable disk left out would come back from a load as it is now: refused instead.
 */
import { STATE_NODE } from '../infrastructure/qemu/launch-plan';
import type { BlockDevice, NamedBlockNode } from './block-parsers';
import { SnapshotDiskFormatError, SnapshotUnsupportedError } from './errors';

/** The nodes of a snapshot job: `devices` and `vmstate` as `snapshot-save` takes them. */
export interface SnapshotTargets {
  readonly vmstate: string;
  readonly devices: readonly string[];
}

/**
 * The targets of VM `vmName` from its disks (`query-block`) and nodes (`query-named-block-nodes`).
 *
 * @param options.listing for a list: writable disks that are not qcow2 are left out, not refused.
 * @throws SnapshotDiskFormatError for a writable disk that is not qcow2 (unless listing).
 * @throws SnapshotUnsupportedError when no node can hold the memory.
 */
export function snapshotTargets(vmName: string, devices: readonly BlockDevice[], nodes: readonly NamedBlockNode[], options: { readonly listing?: boolean } = {}): SnapshotTargets {
  // Listing reads what the qcow2 nodes hold, so a raw disk beside them does not stop it.
  const writable = devices.filter((device) => !device.readOnly && (options.listing !== true || device.driver === 'qcow2'));
  const raw = writable.find((device) => device.driver !== 'qcow2');
  if (raw !== undefined) throw new SnapshotDiskFormatError(vmName, { device: raw.device === '' ? raw.node : raw.device, file: raw.file, driver: raw.driver });
  const state = nodes.find((node) => node.node === STATE_NODE && node.driver === 'qcow2' && !node.readOnly);
  const targets = [...(state === undefined ? [] : [state.node]), ...writable.map((device) => device.node)];
  const vmstate = targets[0];
  if (vmstate === undefined) {
    throw new SnapshotUnsupportedError(`VM "${vmName}" has no qcow2 disk to keep its memory in: it booted without a state disk.`, {
      hint: 'Install qemu-img on its host (apt-get install qemu-utils) and boot the VM again: each boot then gives it a state disk for snapshots.',
    });
  }
  return { vmstate, devices: targets };
}
