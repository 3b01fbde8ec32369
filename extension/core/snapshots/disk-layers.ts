/**
 * Disk-only (external) snapshots of a running disk guest. Taking one freezes the file the guest
 * writes to and puts a new qcow2 layer over it (`blockdev-add` + `blockdev-snapshot`): the guest
 * runs on and writes to the layer. Committing merges the newest layer back into the file under
 * it (`block-commit` of the active layer) and removes it: the disk keeps every write, the
 * snapshot is gone. Nothing pauses the guest, and no memory is saved, so going back to one is
 * offered only once the VM is powered down (layer-revert.ts): a running guest's memory would not
 * match its disk.
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { qemuImg, imageExists } from '../machines/disk-guest/qemu-img';
import { parseNamedBlockNodes, type NamedBlockNode } from './block-parsers';
import { refuseWhenBusy } from './busy';
import { newCommitJobId, runCommitJob } from './commit-job';
import { SnapshotError, SnapshotExistsError, SnapshotUnsupportedError } from './errors';
import { activeFile, backingFileOf, type DiskFolder, type DiskLayer, layerFileName, layerPath, readLayers, writeLayers } from './layer-record';
import { addLayerArgs, commitArgs, createLayerArgs, formatNodeOf, type GuestDisk, isLayerNodeName, layerNodeName, parseActualSizes, parseGuestDisk, snapshotArgs } from './layer-args';
import { checkSnapshotName } from './snapshot-name';
import type { VmSnapshot } from './snapshot-list';
import type { SnapshotSubject } from './vm-snapshots';

/** Where a disk guest's disk and its layers are, on the host its QEMU runs on. */
export interface LayerStore {
  readonly system: HostSystem;
  readonly folder: DiskFolder;
}

const COMMIT_TIMEOUT_MS = 1_800_000;

async function nodes(subject: SnapshotSubject): Promise<NamedBlockNode[]> {
  return parseNamedBlockNodes(await subject.qmp.execute('query-named-block-nodes', { flat: true }));
}

/** The layers and the guest's disk, checked to agree: the guest writes to the newest layer (or to its disk when none). */
async function layersOf(subject: SnapshotSubject): Promise<{ store: LayerStore; layers: DiskLayer[]; disk: GuestDisk }> {
  const store = subject.layers;
  const disk = store === undefined ? undefined : parseGuestDisk(await subject.qmp.execute('query-block'), store.folder.disk);
  if (disk === undefined || store === undefined) {
    throw new SnapshotUnsupportedError(`VM "${subject.vmName}" has no disk of its own (the built-in lab guest boots from a kernel and an initramfs): a disk-only snapshot would hold nothing.`, {
      hint: `Take a whole-VM snapshot instead: qemu-lab snapshot save ${subject.vmName} NAME (without --disk-only).`,
    });
  }
  const layers = await readLayers(store.system, store.folder);
  const expected = activeFile(store.folder, layers);
  if (disk.active !== expected) {
    throw new SnapshotError(`VM "${subject.vmName}" writes to ${disk.active}, but its disk-only snapshot record says ${expected}.`, {
      hint: `The VM runs on a disk QEMU Lab did not give it here (a migration on shared storage, or a record changed by hand): power it down and boot it again (qemu-lab down ${subject.vmName}; qemu-lab up ${subject.vmName}) before disk-only snapshots.`,
    });
  }
  return { store, layers, disk };
}

function asSnapshot(store: LayerStore, layer: DiskLayer, sizes: ReadonlyMap<string, number>): VmSnapshot {
  const file = layerPath(store.folder, layer);
  return { name: layer.name, date: layer.created, vmStateBytes: 0, kind: 'disk-only', vmClockSeconds: 0, complete: true, layer: { file, bytes: sizes.get(file) ?? 0 } };
}

/** The VM's disk-only snapshots, oldest first, with the bytes each layer takes; none for a VM without a disk. */
export async function listDiskLayers(subject: SnapshotSubject): Promise<VmSnapshot[]> {
  const store = subject.layers;
  if (store === undefined) return [];
  const layers = await readLayers(store.system, store.folder);
  if (layers.length === 0) return [];
  const sizes = parseActualSizes(await subject.qmp.execute('query-named-block-nodes', { flat: true }));
  return layers.map((layer) => asSnapshot(store, layer, sizes));
}

async function checkNotBusy(subject: SnapshotSubject): Promise<void> {
  refuseWhenBusy(subject.vmName, await subject.qmp.execute('query-status'), await subject.qmp.execute('query-migrate'), subject.pair);
}

/**
 * Takes disk-only snapshot `name` of the running disk guest: a new layer file in its disk's
 * folder takes the guest's writes from now on; the file under it stays as it is now.
 *
 * @throws SnapshotUnsupportedError for a VM with no disk of its own (the built-in guest).
 * @throws SnapshotExistsError when the VM has a snapshot of that name (either kind).
 */
export async function saveDiskOnlySnapshot(subject: SnapshotSubject, name: string, now: () => Date = () => new Date()): Promise<VmSnapshot> {
  checkSnapshotName(name);
  await checkNotBusy(subject);
  const { store, layers, disk } = await layersOf(subject);
  const taken = [...layers.map((layer) => layer.name), ...(await nodes(subject)).flatMap((node) => node.snapshots.map((snapshot) => snapshot.name))];
  if (taken.includes(name)) throw new SnapshotExistsError(subject.vmName, name);
  const layer: DiskLayer = { name, file: layerFileName(name), created: now().toISOString() };
  const path = layerPath(store.folder, layer);
  if (await imageExists(store.system, path)) {
    throw new SnapshotError(`VM "${subject.vmName}" has a layer file ${path} that no snapshot names (left from an interrupted snapshot?).`, {
      hint: `Nothing uses it: remove it (rm ${path}) and take the snapshot again, or pick another name.`,
    });
  }
  await qemuImg(store.system, path, createLayerArgs(path, disk.active, disk.virtualSize));
  // The record before QEMU switches: once the guest writes to the layer, the next boot must
  // boot it. Should the switch fail, a record left naming the empty layer is harmless (it shows
  // the disk as it is), so the undo below may fail without losing a write.
  await writeLayers(store.system, store.folder, [...layers, layer]);
  const node = layerNodeName(Date.now());
  try {
    await subject.qmp.execute('blockdev-add', addLayerArgs(node, path));
    try {
      await subject.qmp.execute('blockdev-snapshot', snapshotArgs(disk.node, node));
    } catch (error) {
      await subject.qmp.execute('blockdev-del', { 'node-name': node });
      throw error;
    }
  } catch (error) {
    await writeLayers(store.system, store.folder, layers);
    await store.system.removeFiles([path]);
    throw error;
  }
  return asSnapshot(store, layer, new Map());
}

/**
 * Commits the newest disk-only snapshot of the running VM: its layer is merged into the file
 * under it (which the guest then writes to), and the layer file is removed. The guest's disk
 * keeps every write; the snapshot is gone.
 *
 * @throws SnapshotError when the VM has no disk-only snapshot, or the layer holds whole-VM snapshots.
 * @throws SnapshotJobError when QEMU's commit job fails (the guest still writes to the layer).
 */
export async function commitDiskLayer(subject: SnapshotSubject): Promise<VmSnapshot> {
  await checkNotBusy(subject);
  const { store, layers, disk } = await layersOf(subject);
  const newest = layers.at(-1);
  if (newest === undefined) {
    throw new SnapshotError(`VM "${subject.vmName}" has no disk-only snapshot to commit.`, { hint: `Take one with qemu-lab snapshot save ${subject.vmName} NAME --disk-only.` });
  }
  const all = await nodes(subject);
  const top = formatNodeOf(all, disk.active);
  if (top !== undefined && top.snapshots.length > 0) {
    throw new SnapshotError(
      `The layer of disk-only snapshot "${newest.name}" holds whole-VM snapshots (${top.snapshots.map((snapshot) => snapshot.name).join(', ')}): committing it would lose them.`,
      { hint: `Delete those first (qemu-lab snapshot delete ${subject.vmName} NAME), then commit.` },
    );
  }
  const backing = backingFileOf(store.folder, layers, layers.length - 1);
  const base = formatNodeOf(all, backing);
  if (base === undefined) {
    throw new SnapshotError(`QEMU has no node for ${backing}, the file under disk-only snapshot "${newest.name}".`, {
      hint: `Power the VM down and boot it again (qemu-lab down ${subject.vmName}; qemu-lab up ${subject.vmName}): it opens the whole chain again.`,
    });
  }
  await runCommitJob(subject.qmp, commitArgs(newCommitJobId(), disk.device, base.node), {
    timeoutMs: COMMIT_TIMEOUT_MS,
    failureHint: `The guest still writes to the layer, nothing is lost; if its host's disk is full, free space there and commit again (qemu-lab snapshot commit ${subject.vmName}).`,
  });
  await writeLayers(store.system, store.folder, layers.slice(0, -1));
  // A layer added in this QEMU is held by the monitor too; one opened at boot went with the commit.
  if (top !== undefined && isLayerNodeName(top.node)) await subject.qmp.execute('blockdev-del', { 'node-name': top.node });
  await store.system.removeFiles([disk.active]);
  return asSnapshot(store, newest, new Map());
}

/**
 * Refuses `load` and `delete` of a disk-only snapshot, saying what the tool offers instead.
 *
 * @throws SnapshotError when `name` is one of the VM's disk-only snapshots.
 */
export async function refuseDiskLayer(subject: SnapshotSubject, name: string, verb: 'load' | 'delete'): Promise<void> {
  const store = subject.layers;
  if (store === undefined) return;
  const layers = await readLayers(store.system, store.folder);
  if (!layers.some((layer) => layer.name === name)) return;
  if (verb === 'delete') {
    throw new SnapshotError(`"${name}" is a disk-only snapshot of VM "${subject.vmName}": it is removed by committing its layer, which keeps the guest's writes since.`, {
      hint: layers.at(-1)?.name === name ? `Commit it: qemu-lab snapshot commit ${subject.vmName}.` : `Commit the newer ones first, then it: qemu-lab snapshot commit ${subject.vmName} (once per snapshot).`,
    });
  }
  throw new SnapshotError(`VM "${subject.vmName}" cannot go back to disk-only snapshot "${name}" while it runs: the snapshot has no memory, and the running guest's memory would not match its disk.`, {
    hint: `Power it down (qemu-lab down ${subject.vmName}), then qemu-lab snapshot revert ${subject.vmName} ${name}: its next boot starts from the snapshot. To go back on a running VM, take whole-VM snapshots (without --disk-only).`,
  });
}
