import * as vscode from 'vscode';
import type { DiskRowNode } from '../../presentation/tree/disk-rows';

const ICONS: Record<DiskRowNode['icon'], string> = { disk: 'database', cloud: 'cloud', note: 'info', problem: 'warning' };

/** The tree item of a row under a disk guest: a file of its disk chain, its cloud-init, or why they are not shown. */
export function diskTreeItem(node: DiskRowNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.vm.lab.path}#${node.vm.vm.name}#${node.id}`;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.iconPath = new vscode.ThemeIcon(ICONS[node.icon]);
  item.contextValue = `qemuLab.diskRow.${node.icon}`;
  return item;
}
