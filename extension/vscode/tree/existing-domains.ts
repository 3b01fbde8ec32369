import * as vscode from 'vscode';
import { domainDescription, type DomainRow } from '../../presentation/tree/domain-rows';

/** The tree item of a domain row: read-only; its one action is "Add to Lab" (libvirt's tools manage it). */
export function domainTreeItem(row: DomainRow): vscode.TreeItem {
  if (row.kind === 'domain-note') {
    const item = new vscode.TreeItem('Domains unavailable', vscode.TreeItemCollapsibleState.None);
    item.id = `domain-note:${row.host}`;
    item.description = row.reason.split('\n')[0];
    item.tooltip = row.reason;
    item.iconPath = new vscode.ThemeIcon('info');
    return item;
  }
  const item = new vscode.TreeItem(row.domain.name, vscode.TreeItemCollapsibleState.None);
  item.id = `domain:${row.host}:${row.domain.name}`;
  item.description = domainDescription(row.domain);
  item.tooltip = `${row.domain.name}: a domain of libvirt host "${row.host}" that no lab file describes. QEMU Lab shows it and leaves it alone (virsh or virt-manager manage it); "Add to Lab" adopts it into a lab file.`;
  item.iconPath = new vscode.ThemeIcon(row.domain.state === 'running' ? 'vm-running' : 'vm-outline');
  item.contextValue = 'qemuLab.domain';
  return item;
}
