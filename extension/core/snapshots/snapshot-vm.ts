/**
 * The snapshot use case the CLI and the editor call: a running VM of a lab, its monitor opened
 * through its backend for the length of one operation, its COLO record read. libvirt hosts are
 * refused for now: libvirt owns the monitor there (`virsh snapshot-*` would be the way).
 */
import { refusalFor } from '../lab/adopted-refusals';
import { readPairRecord } from '../colo/pair-record';
import { QmpClient } from '../infrastructure/qmp/client';
import type { LabModel } from '../lab/model';
import { dirname } from 'node:path';
import { vmDiskPath } from '../machines/disk-guest/overlay';
import type { HostVmBackend, VmInstance } from '../machines/vm/backend';
import type { VmRecord } from '../machines/vm/vm-record';
import type { LayerStore } from './disk-layers';
import { SnapshotError, SnapshotNotFoundError } from './errors';
import { revertDiskLayer } from './layer-revert';
import { SnapshotUnsupportedError } from './errors';
import type { SnapshotSubject } from './vm-snapshots';

/** Commands may wait this long for a reply (the jobs' own bounds are longer: see vm-snapshots.ts). */
const QMP_TIMEOUT_MS = 30_000;

/** What a snapshot operation needs to reach a VM. */
export interface SnapshotContext {
  readonly lab: LabModel;
  readonly backend: HostVmBackend;
  /** The local state directory (COLO pair records live there); undefined for a VM that is in no pair (an experiment's). */
  readonly stateRoot: string | undefined;
}

/**
 * Where the disk of the VM of `record` is: beside its run directory (`<state>/vms/<lab>-<vm>`)
 * in the same state directory, `<state>/disks/<lab>-<vm>/disk.qcow2` (see overlay.ts).
 */
export function diskFolderOf(record: VmRecord): LayerStore['folder'] {
  const root = dirname(dirname(dirname(record.files.qmpSocket)));
  return { disk: vmDiskPath(root, record.labPath, record.host, record.vmName) };
}

function refuseLibvirt(context: SnapshotContext, record: VmRecord): void {
  const vm = context.lab.vms.get(record.vmName);
  const adopted = vm === undefined ? undefined : refusalFor(vm, 'snapshot');
  if (adopted !== undefined) throw new SnapshotUnsupportedError(`${adopted.problem}.`, { hint: adopted.hint });
  if (context.lab.hosts.get(record.host)?.kind === 'libvirt') {
    throw new SnapshotUnsupportedError(`VM "${record.vmName}" runs on libvirt host "${record.host}": QEMU Lab takes no snapshots on libvirt hosts yet.`, {
      // Not virsh snapshot-create-as: its snapshots belong to the domain, which down undefines (and libvirt refuses to undefine a domain with snapshots).
      hint: `Nothing was changed. For qemu-lab snapshot (whole-VM or disk-only), run the VM on a local or SSH host (kind: local or kind: ssh).`,
    });
  }
}

/**
 * Runs `use` on the snapshot subject of running VM `instance`, then closes its monitor.
 *
 * @throws SnapshotUnsupportedError for a VM on a libvirt host.
 */
export async function withSnapshotSubject<T>(context: SnapshotContext, instance: VmInstance, use: (subject: SnapshotSubject) => Promise<T>): Promise<T> {
  const { record } = instance;
  refuseLibvirt(context, record);
  const pair = context.stateRoot === undefined ? undefined : await readPairRecord(context.stateRoot, context.lab.path, record.vmName);
  const qmp = new QmpClient({ name: record.vmName, defaultTimeoutMs: QMP_TIMEOUT_MS });
  await context.backend.connectQmp(record, qmp);
  try {
    return await use({ vmName: record.vmName, qmp, pair, layers: { system: context.backend.systemOf(record), folder: diskFolderOf(record) } });
  } finally {
    await qmp.disconnect();
  }
}

/**
 * Puts the disk of VM `vmName` back to its disk-only snapshot `name`, once the VM is powered
 * down (`instance`: what the backend found of it, undefined when it never ran); its next boot
 * starts from there. See layer-revert.ts.
 *
 * @throws SnapshotError while the VM runs; SnapshotUnsupportedError on a libvirt host.
 */
export async function revertDiskSnapshot(context: SnapshotContext, vmName: string, instance: VmInstance | undefined, name: string): ReturnType<typeof revertDiskLayer> {
  if (instance === undefined) throw new SnapshotNotFoundError(vmName, name, []);
  const { record } = instance;
  refuseLibvirt(context, record);
  if (instance.alive) {
    throw new SnapshotError(`VM "${vmName}" is running: going back to disk-only snapshot "${name}" would leave its memory out of step with its disk.`, {
      hint: `Power it down first (qemu-lab down ${vmName}), then revert; its next boot starts from the snapshot.`,
    });
  }
  return revertDiskLayer({ system: context.backend.systemOf(record), folder: diskFolderOf(record) }, vmName, name);
}
