import { describeError } from '../../core/errors';
import { readCloudInitState } from '../../core/machines/disk-guest/cloud-init-state';
import { vmDiskPath } from '../../core/machines/disk-guest/overlay';
import { readVmDisks } from '../../core/machines/disk-guest/vm-disks';
import type { HostVmBackend } from '../../core/machines/vm/backend';
import type { KnownVm } from '../../core/machines/vm/vm-registry';
import { diskFolderOf } from '../../core/snapshots/snapshot-vm';
import { diskRows, type DiskRowNode } from '../../presentation/tree/disk-rows';
import type { VmNode } from '../../presentation/tree/nodes';
import { stateRootOn } from '../../core/machines/vm/run-dir';

/** The state roots: this machine's, and remote hosts' when a setting names one. */
export interface DiskStateRoots {
  readonly local: string;
  readonly remote: string | undefined;
}

/**
 * The disk rows of the disk guests the tree shows, read when a VM row is expanded (VS Code asks
 * for the children of expanded rows only) and kept until Refresh or until the VM's state or QEMU
 * changes: each read runs qemu-img on the VM's host, over SSH for a remote one. The tree asks
 * only behind the trust gate, and the host systems refuse to start anything while it is closed.
 */
export class DiskLists {
  private readonly lists = new Map<string, { readonly token: string; readonly rows: Promise<DiskRowNode[]> }>();

  constructor(
    private readonly backend: HostVmBackend,
    private readonly roots: DiskStateRoots,
  ) {}

  /** The rows under `node`, from the cache while its state and QEMU are the same. */
  rowsOf(node: VmNode, known: KnownVm): Promise<DiskRowNode[]> {
    const id = `${node.lab.path}\u0000${node.vm.name}`;
    const token = `${known.state}\u0000${known.pid ?? ''}`;
    const cached = this.lists.get(id);
    if (cached !== undefined && cached.token === token) return cached.rows;
    const rows = this.read(node, known);
    this.lists.set(id, { token, rows });
    return rows;
  }

  /** Forgets every VM's rows (Refresh): read again when shown. */
  invalidateAll(): void {
    this.lists.clear();
  }

  private async read(node: VmNode, known: KnownVm): Promise<DiskRowNode[]> {
    // A VM that runs (or ran and left its record) is where its record says: a migrated VM's disk moved with it.
    const record = known.state === 'stopped' ? undefined : known.record;
    const system = this.backend.systemOf({ host: record?.host ?? node.vm.host });
    const [disks, cloudInit] = await Promise.all([
      settle(this.diskPathOf(node, record).then((disk) => readVmDisks(system, disk))),
      settle(readCloudInitState(system, this.roots.local, node.lab.path, node.vm, record)),
    ]);
    return diskRows(node, { disks, cloudInit });
  }

  private async diskPathOf(node: VmNode, record: KnownVm['record']): Promise<string> {
    if (record !== undefined) return diskFolderOf(record).disk;
    const system = this.backend.systemOf({ host: node.vm.host });
    const root = await stateRootOn(system, this.roots);
    return vmDiskPath(root, node.lab.path, node.vm.host, node.vm.name);
  }
}

/** What `read` gave, or why it failed, in words the row shows. */
async function settle<T>(read: Promise<T>): Promise<T | { readonly error: string }> {
  try {
    return await read;
  } catch (error) {
    return { error: describeError(error) };
  }
}
