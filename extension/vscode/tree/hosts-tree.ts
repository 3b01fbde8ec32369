import * as vscode from 'vscode';
import { probeLocalHost } from '../../core/host/capabilities';
import { describeError } from '../../core/errors';
import type { KnownVm, VmRegistry } from '../../core/vm/vm-registry';
import type { LabFiles } from '../lab-files';
import { hostTreeItem, type HostProbe } from './host-item';
import { hostNodes, vmNodesOn, type TreeNode, vmKeyOf } from './nodes';
import { vmTreeItem } from './vm-item';

/**
 * The "Hosts and VMs" tree: hosts from every lab file of the workspace, their VMs under them.
 * It changes when a lab file changes or a VM's state changes (QMP events through the
 * registry) — never by polling.
 */
export class HostsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private localProbe: HostProbe | undefined;
  /** How many lab files the tree shows; with more than one, VM items name their lab. */
  private labsShown = 0;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly labs: LabFiles,
    private readonly registry: VmRegistry,
    onVmChanged: vscode.Event<KnownVm>,
  ) {
    this.subscriptions.push(
      labs.onDidChange(() => void this.followVms()),
      onVmChanged(() => this.changed.fire(undefined)),
      this.changed,
    );
  }

  /** Re-reads labs, VM states and host capabilities. */
  async refresh(): Promise<void> {
    this.localProbe = undefined;
    await this.labs.reload();
  }

  private async followVms(): Promise<void> {
    const labs = await this.labs.labs();
    await this.registry.refresh(labs.flatMap((lab) => [...lab.vms.values()].map((vm) => ({ labPath: lab.path, vmName: vm.name, host: vm.host }))));
    this.changed.fire(undefined);
  }

  private probeLocal(): HostProbe {
    if (this.localProbe === undefined) {
      this.localProbe = { kind: 'pending' };
      probeLocalHost().then(
        (capabilities) => (this.localProbe = { kind: 'ok', capabilities }),
        (error: unknown) => (this.localProbe = { kind: 'failed', message: describeError(error) }),
      ).finally(() => this.changed.fire(undefined));
    }
    return this.localProbe;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'host') return hostTreeItem(node, node.spec.kind === 'local' ? this.probeLocal() : undefined);
    return vmTreeItem(node, this.registry.get(vmKeyOf(node)), this.labsShown > 1);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const labs = await this.labs.labs();
    this.labsShown = labs.length;
    if (labs.length === 0) return []; // The welcome view explains how to make a lab file.
    if (node === undefined) return hostNodes(labs);
    if (node.kind === 'host') return vmNodesOn(node.name, labs);
    return [];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
