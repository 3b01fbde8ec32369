import * as vscode from 'vscode';
import { MANAGE_TRUST_COMMAND } from '../workspace-trust';

/** A row the tree shows instead of hosts and VMs in an untrusted workspace. */
export interface RestrictedNode {
  readonly kind: 'restricted';
  readonly row: 'why' | 'trust';
}

/** The rows of an untrusted workspace: why nothing is shown, and a way to trust it. */
export const RESTRICTED_NODES: readonly RestrictedNode[] = [
  { kind: 'restricted', row: 'why' },
  { kind: 'restricted', row: 'trust' },
];

const WHY =
  'This workspace is not trusted. QEMU Lab reads its lab files, but until you trust the workspace it ' +
  'connects to no host, runs no QEMU and watches no VM: a lab file from a cloned repository would ' +
  'otherwise open SSH connections and run programs as soon as this view is shown.';

/** The tree item of a {@link RestrictedNode}. */
export function restrictedTreeItem(node: RestrictedNode): vscode.TreeItem {
  if (node.row === 'why') {
    const item = new vscode.TreeItem('Restricted Mode', vscode.TreeItemCollapsibleState.None);
    item.id = 'restricted:why';
    item.description = 'hosts and VMs are not checked';
    item.iconPath = new vscode.ThemeIcon('workspace-untrusted');
    item.tooltip = WHY;
    return item;
  }
  const item = new vscode.TreeItem('Trust Workspace…', vscode.TreeItemCollapsibleState.None);
  item.id = 'restricted:trust';
  item.description = 'to see hosts and VMs';
  item.iconPath = new vscode.ThemeIcon('shield');
  item.tooltip = 'Opens Workspace Trust, where you can trust this folder. The tree fills in at once.';
  item.command = { command: MANAGE_TRUST_COMMAND, title: 'Manage Workspace Trust' };
  return item;
}
