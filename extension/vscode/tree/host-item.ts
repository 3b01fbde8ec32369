import * as vscode from 'vscode';
import type { HostCapabilities } from '../../core/infrastructure/hosts/probes/capabilities';
import type { HostState } from '../../core/infrastructure/hosts/host';
import { hostConnectionView } from '../../presentation/hosts/host-connection-view';
import type { HostNode } from '../../presentation/tree/nodes';

/** What the tree knows of a host's capabilities: probed, being probed, or failed with why. */
export type HostProbe =
  | { readonly kind: 'pending' }
  | { readonly kind: 'ok'; readonly capabilities: HostCapabilities }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * The tree item of a host: for this machine the QEMU version and whether KVM is usable, details
 * in the tooltip; for an SSH host its connection state (`connection`), with the error as the
 * tooltip and a context value offering "Reconnect" when the connection is down; for a libvirt
 * host its URI.
 */
export function hostTreeItem(node: HostNode, probe: HostProbe | undefined, connection?: HostState): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `host:${node.name}`;
  item.contextValue = `qemuLab.host.${node.spec.kind}`;
  if (node.spec.kind === 'ssh') {
    const view = hostConnectionView(node.name, node.spec, connection);
    item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color === undefined ? undefined : new vscode.ThemeColor(view.icon.color));
    item.description = view.description;
    item.tooltip = view.tooltip;
    item.contextValue = view.contextValue;
    return item;
  }
  if (node.spec.kind === 'libvirt') {
    // Not probed: its VMs are libvirt domains; `qemu-lab hosts` lists what it has.
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.description = `libvirt · ${node.spec.uri}`;
    item.tooltip = `libvirt host: its VMs run as libvirt domains through ${node.spec.uri}. qemu-lab hosts lists its domains.`;
    return item;
  }
  item.iconPath = new vscode.ThemeIcon('vm');
  if (probe === undefined || probe.kind === 'pending') {
    item.description = 'probing…';
  } else if (probe.kind === 'failed') {
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'));
    item.description = probe.message.split('\n')[0];
    item.tooltip = probe.message;
  } else {
    const c = probe.capabilities;
    const v = c.qemu.version;
    item.description = `QEMU ${v.major}.${v.minor}.${v.micro} · ${c.kvm.status.usable ? 'KVM' : 'TCG only'}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${node.name}** — ${c.cpu.model}, ${c.cpu.count} CPU(s), ${Math.round(c.memoryBytes / 1024 ** 3)} GiB\n\n`);
    tooltip.appendMarkdown(`- QEMU ${v.major}.${v.minor}.${v.micro} at \`${c.qemu.path}\`\n`);
    tooltip.appendMarkdown(`- KVM: ${c.kvm.status.usable ? 'usable' : 'not usable'}\n\n`);
    tooltip.appendText(c.kvm.status.reason);
    item.tooltip = tooltip;
  }
  return item;
}
