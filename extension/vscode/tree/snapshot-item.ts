import * as vscode from 'vscode';
import { snapshotDescription, type VmChildNode } from '../../presentation/tree/snapshot-rows';

/**
 * The tree item of a row under a VM: a snapshot (`contextValue` `qemuLab.snapshot`, so Revert and
 * Delete show on it), or the note that there is none (a click takes one) or why none is shown.
 */
export function vmChildTreeItem(node: VmChildNode): vscode.TreeItem {
  const base = `${node.vm.lab.path}#${node.vm.vm.name}`;
  if (node.kind === 'snapshot') {
    const item = new vscode.TreeItem(node.snapshot.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${base}#snapshot#${node.snapshot.name}`;
    item.description = snapshotDescription(node.snapshot);
    item.iconPath = new vscode.ThemeIcon(node.snapshot.complete ? 'history' : 'warning');
    item.contextValue = 'qemuLab.snapshot';
    item.tooltip = node.snapshot.complete
      ? `Snapshot ${node.snapshot.name} of ${node.vm.vm.name}: ${snapshotDescription(node.snapshot)}. Revert puts memory, devices and disks back to that moment.`
      : `Snapshot ${node.snapshot.name} is missing on some disk of ${node.vm.vm.name} (taken with other disks): it cannot be loaded.`;
    return item;
  }
  if (node.note === 'none') {
    const item = new vscode.TreeItem('No snapshots', vscode.TreeItemCollapsibleState.None);
    item.id = `${base}#snapshot-note`;
    item.description = 'Take Snapshot…';
    item.iconPath = new vscode.ThemeIcon('device-camera');
    item.command = { command: 'qemuLab.takeSnapshot', title: 'Take Snapshot…', arguments: [node.vm] };
    return item;
  }
  const item = new vscode.TreeItem('Snapshots unavailable', vscode.TreeItemCollapsibleState.None);
  item.id = `${base}#snapshot-note`;
  item.description = node.reason;
  item.tooltip = node.reason;
  item.iconPath = new vscode.ThemeIcon('info');
  return item;
}
