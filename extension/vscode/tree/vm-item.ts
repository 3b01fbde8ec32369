import * as vscode from 'vscode';
import type { KnownVm } from '../../core/machines/vm/vm-registry';
import type { VmState } from '../../core/machines/vm/vm-state';
import type { ColoTreeView } from '../../presentation/colo/colo-tree-view';
import type { VmNode } from '../../presentation/tree/nodes';
import { sshCommandWords, sshEndpointWords } from '../../presentation/vm/vm-words';

const ICONS: Record<VmState, [string, string | undefined]> = {
  running: ['vm-running', 'testing.iconPassed'],
  paused: ['debug-pause', 'charts.yellow'],
  'powering-down': ['loading~spin', undefined],
  migrating: ['arrow-swap', 'charts.blue'],
  incoming: ['arrow-down', 'charts.blue'],
  stopped: ['vm-outline', undefined],
  'connection-lost': ['debug-disconnect', 'charts.orange'],
  error: ['error', 'testing.iconFailed'],
};

/**
 * The tree item of a VM: state icon, a description with what people look for (state, the
 * accelerator in effect, NIC, SSH endpoint), details in the tooltip, and a `contextValue`
 * (`qemuLab.vm.<state>`, `.colo` appended for a COLO VM) so menus offer only what makes sense.
 */
export function vmTreeItem(node: VmNode, known: KnownVm, showLabName: boolean, colo?: ColoTreeView, expandable = false): vscode.TreeItem {
  // A VM that runs opens onto its snapshots, a disk guest onto its disks (read when opened).
  const item = new vscode.TreeItem(node.vm.name, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `${node.lab.path}#${node.vm.name}`;
  const [icon, color] = ICONS[known.state];
  item.iconPath = new vscode.ThemeIcon(icon, color === undefined ? undefined : new vscode.ThemeColor(color));
  const live = known.state !== 'stopped' && known.record !== undefined;
  const endpoint = live ? known.record?.ssh : undefined;
  const ssh = endpoint === undefined ? undefined : `ssh ${sshEndpointWords(endpoint)}`;
  // A migrated VM is shown under the host it moved to; say where the lab file puts it.
  const moved = live && known.record !== undefined && known.record.host !== node.vm.host ? `migrated from ${node.vm.host}` : undefined;
  // A pair's state right after the VM's: it is what matters most of a COLO VM, and the rest is cut off first in a narrow view.
  const parts = [known.state, colo?.description, live ? known.record?.accel : node.vm.accel, node.vm.nic, ssh, moved];
  if (showLabName) parts.push(vscode.workspace.asRelativePath(node.lab.path));
  item.description = parts.filter((p) => p !== undefined).join(' · ');
  // `.colo` marks a VM with faultTolerance, so only it gets the COLO menu items.
  item.contextValue = `qemuLab.vm.${known.state}${node.vm.faultTolerance === undefined ? '' : '.colo'}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${node.vm.name}** — ${known.state}\n\n`);
  if (known.reason !== undefined) tooltip.appendText(`${known.reason}\n\n`);
  tooltip.appendMarkdown(`- ${node.vm.cpus} vCPU, ${Math.round(node.vm.memoryBytes / 1024 ** 2)} MiB, ${node.vm.machine}\n`);
  tooltip.appendMarkdown(`- accel: ${node.vm.accel}${live && known.record !== undefined ? ` → ${known.record.accel} (${known.record.accelWhy})` : ''}\n`);
  tooltip.appendMarkdown(`- NIC: ${node.vm.nic}, network: ${node.vm.network}\n`);
  if (endpoint !== undefined) tooltip.appendMarkdown(`- SSH: \`${sshCommandWords(endpoint)}\`\n`);
  if (known.pid !== undefined) tooltip.appendMarkdown(`- pid ${known.pid}\n`);
  tooltip.appendMarkdown(`- lab: ${vscode.workspace.asRelativePath(node.lab.path)}\n`);
  for (const line of colo?.tooltip ?? []) {
    // One paragraph per line: Markdown would run single lines together.
    tooltip.appendMarkdown('\n');
    tooltip.appendText(line);
    tooltip.appendMarkdown('\n');
  }
  item.tooltip = tooltip;
  return item;
}
