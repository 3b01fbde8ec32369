import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { HostVmBackend } from '../../core/machines/vm/backend';
import type { KnownVm } from '../../core/machines/vm/vm-registry';
import { withSnapshotSubject } from '../../core/snapshots/snapshot-vm';
import { listSnapshots } from '../../core/snapshots/vm-snapshots';
import { vmKeyOf, type VmNode } from '../../presentation/tree/nodes';
import { snapshotRows, type VmChildNode } from '../../presentation/tree/snapshot-rows';

/**
 * The snapshots of the VMs the tree shows, read when a VM row is expanded and kept until they
 * change: a snapshot command ends, or the VM's QEMU is another one (another pid). The list
 * opens the VM's command monitor, which serves one client at a time, so it is never read again
 * merely because the tree redraws.
 */
export class SnapshotLists implements vscode.Disposable {
  private readonly lists = new Map<string, { readonly pid: number | undefined; readonly rows: Promise<VmChildNode[]> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a VM's list was dropped and should be shown again. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly backend: HostVmBackend,
    private readonly stateRoot: string,
  ) {}

  /** The rows under `node`, from the cache while its QEMU is the same one. */
  rowsOf(node: VmNode, known: KnownVm): Promise<VmChildNode[]> {
    const id = idOf(node);
    const cached = this.lists.get(id);
    if (cached !== undefined && cached.pid === known.pid) return cached.rows;
    const rows = this.read(node);
    this.lists.set(id, { pid: known.pid, rows });
    return rows;
  }

  /** Forgets `node`'s list (a snapshot was taken, loaded or deleted) and redraws it. */
  invalidate(node: VmNode): void {
    this.lists.delete(idOf(node));
    this.changed.fire();
  }

  private async read(node: VmNode): Promise<VmChildNode[]> {
    try {
      const instance = await this.backend.find(vmKeyOf(node));
      if (instance === undefined || !instance.alive) return snapshotRows(node, { error: 'the VM does not run' });
      const snapshots = await withSnapshotSubject({ lab: node.lab, backend: this.backend, stateRoot: this.stateRoot }, instance, listSnapshots);
      return snapshotRows(node, { snapshots });
    } catch (error) {
      return snapshotRows(node, { error: describeError(error) });
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.lists.clear();
  }
}

function idOf(node: VmNode): string {
  return `${node.lab.path}\u0000${node.vm.name}`;
}
