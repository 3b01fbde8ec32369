/**
 * Whole-VM snapshots of a running QEMU, over its QMP monitor: list, save, load, delete. Each
 * reads the VM's disks first, so a raw disk, a missing name or a busy VM is refused before QEMU
 * stops the guest; the job itself runs as `snapshot-job.ts` says.
 */
import type { ColoPairRecord } from '../colo/pair-record';
import { parseBlockDevices, parseNamedBlockNodes } from './block-parsers';
import { refuseWhenBusy } from './busy';
import { listDiskLayers, refuseDiskLayer, type LayerStore } from './disk-layers';
import { SnapshotExistsError, SnapshotNotFoundError } from './errors';
import { type JobMonitor, runSnapshotJob } from './snapshot-job';
import { vmSnapshots, type VmSnapshot } from './snapshot-list';
import { checkSnapshotName } from './snapshot-name';
import { snapshotTargets, type SnapshotTargets } from './targets';

/** A running VM's monitor, and what else a snapshot checks. */
export interface SnapshotSubject {
  readonly vmName: string;
  readonly qmp: JobMonitor;
  /** The VM's COLO pair record; undefined when it is in none. */
  readonly pair: ColoPairRecord | undefined;
  /** Where its disk and the layers of its disk-only snapshots are; absent when it has no disk of its own to know. */
  readonly layers?: LayerStore;
}

const SAVE_TIMEOUT_MS = 600_000;
const LOAD_TIMEOUT_MS = 600_000;
const DELETE_TIMEOUT_MS = 120_000;

async function readState(subject: SnapshotSubject, options: { readonly listing?: boolean } = {}): Promise<{ targets: SnapshotTargets; snapshots: VmSnapshot[] }> {
  const devices = parseBlockDevices(await subject.qmp.execute('query-block'));
  const nodes = parseNamedBlockNodes(await subject.qmp.execute('query-named-block-nodes', { flat: true }));
  const targets = snapshotTargets(subject.vmName, devices, nodes, options);
  return { targets, snapshots: vmSnapshots(nodes, targets) };
}

async function checkNotBusy(subject: SnapshotSubject): Promise<void> {
  refuseWhenBusy(subject.vmName, await subject.qmp.execute('query-status'), await subject.qmp.execute('query-migrate'), subject.pair);
}

async function existing(subject: SnapshotSubject, name: string): Promise<{ targets: SnapshotTargets; snapshot: VmSnapshot }> {
  const { targets, snapshots } = await readState(subject);
  const snapshot = snapshots.find((entry) => entry.name === name);
  if (snapshot === undefined) throw new SnapshotNotFoundError(subject.vmName, name, snapshots.map((entry) => entry.name));
  return { targets, snapshot };
}

/** The VM's snapshots, whole-VM and disk-only (external) alike, oldest first. */
export async function listSnapshots(subject: SnapshotSubject): Promise<VmSnapshot[]> {
  const internal = (await readState(subject, { listing: true })).snapshots;
  return [...internal, ...(await listDiskLayers(subject))].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Saves the whole VM (memory, devices, every writable disk) as snapshot `name`. The guest pauses
 * while its memory is written and then runs on; a failed save leaves it running as before.
 */
export async function saveSnapshot(subject: SnapshotSubject, name: string): Promise<VmSnapshot> {
  checkSnapshotName(name);
  await checkNotBusy(subject);
  const { targets, snapshots } = await readState(subject);
  const layers = await listDiskLayers(subject);
  if ([...snapshots, ...layers].some((entry) => entry.name === name)) throw new SnapshotExistsError(subject.vmName, name);
  await runSnapshotJob(subject.qmp, 'snapshot-save', { tag: name, vmstate: targets.vmstate, devices: [...targets.devices] }, {
    timeoutMs: SAVE_TIMEOUT_MS,
    failureHint: 'Nothing was kept and the VM runs on as before. If the disk of its state directory is full, free space there and save again.',
  });
  const saved = (await readState(subject)).snapshots.find((entry) => entry.name === name);
  if (saved === undefined) throw new SnapshotNotFoundError(subject.vmName, name, snapshots.map((entry) => entry.name));
  return saved;
}

/**
 * Loads snapshot `name`: the guest's memory, devices and disks go back to that moment (a running
 * guest runs on from there, a paused one stays paused).
 */
export async function loadSnapshot(subject: SnapshotSubject, name: string): Promise<VmSnapshot> {
  checkSnapshotName(name);
  await checkNotBusy(subject);
  await refuseDiskLayer(subject, name, 'load');
  const { targets, snapshot } = await existing(subject, name);
  await runSnapshotJob(subject.qmp, 'snapshot-load', { tag: name, vmstate: targets.vmstate, devices: [...targets.devices] }, {
    timeoutMs: LOAD_TIMEOUT_MS,
    failureHint: `QEMU leaves a VM paused when a load fails, its memory maybe partly loaded: load a snapshot again, or reset it (qemu-lab reset ${subject.vmName}).`,
  });
  return snapshot;
}

/** Deletes snapshot `name` from every disk of the VM. The running guest is not touched. */
export async function deleteSnapshot(subject: SnapshotSubject, name: string): Promise<VmSnapshot> {
  checkSnapshotName(name);
  await checkNotBusy(subject);
  await refuseDiskLayer(subject, name, 'delete');
  const { targets, snapshot } = await existing(subject, name);
  await runSnapshotJob(subject.qmp, 'snapshot-delete', { tag: name, devices: [...targets.devices] }, {
    timeoutMs: DELETE_TIMEOUT_MS,
    failureHint: `The snapshot may remain on some disks; qemu-lab snapshot list ${subject.vmName} shows what is left.`,
  });
  return snapshot;
}
