/**
 * Going back to a disk-only snapshot, offered only while the VM is powered down: a running
 * guest's memory would not match the disk it was put back on. The snapshot's layer is replaced
 * by a new, empty one over the same file (so the snapshot stays, to go back to again), and the
 * newer layers are removed: the next boot starts from the disk as it was when the snapshot was
 * taken. Everything the guest wrote after it is lost, as the command's help says.
 */
import { qemuImg } from '../machines/disk-guest/qemu-img';
import { SnapshotNotFoundError } from './errors';
import { backingFileOf, type DiskLayer, layerPath, readLayers, writeLayers } from './layer-record';
import type { LayerStore } from './disk-layers';

/** The qemu-img arguments of an empty layer over `backing` (not opened by any QEMU: the VM is down, so the size comes from it). */
export function emptyLayerArgs(layer: string, backing: string): string[] {
  return ['create', '-q', '-f', 'qcow2', '-b', backing, '-F', 'qcow2', layer];
}

/**
 * Puts the disk of powered-down VM `vmName` back to its disk-only snapshot `name`. The caller
 * has checked that no QEMU of the VM runs.
 *
 * @throws SnapshotNotFoundError when the VM has no disk-only snapshot of that name.
 * @returns the snapshot, and the names of the newer ones that were removed.
 */
export async function revertDiskLayer(store: LayerStore, vmName: string, name: string): Promise<{ readonly snapshot: DiskLayer; readonly removed: readonly string[] }> {
  const layers = await readLayers(store.system, store.folder);
  const index = layers.findIndex((layer) => layer.name === name);
  const snapshot = layers[index];
  if (snapshot === undefined) throw new SnapshotNotFoundError(vmName, name, layers.map((layer) => layer.name));
  const path = layerPath(store.folder, snapshot);
  const fresh = `${path}.new`;
  await store.system.removeFiles([fresh]);
  await qemuImg(store.system, fresh, emptyLayerArgs(fresh, backingFileOf(store.folder, layers, index)));
  // The record before the files: a crash in between never leaves a record naming a missing file.
  const newer = layers.slice(index + 1);
  await writeLayers(store.system, store.folder, layers.slice(0, index + 1));
  await store.system.run('mv', ['-f', '--', fresh, path]);
  await store.system.removeFiles(newer.map((layer) => layerPath(store.folder, layer)));
  return { snapshot, removed: newer.map((layer) => layer.name) };
}
