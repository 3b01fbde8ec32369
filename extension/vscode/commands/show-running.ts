import * as vscode from 'vscode';
import { workWords } from '../../presentation/status/status-view';
import type { LabServices } from '../services';

/**
 * "QEMU Lab: Show What Runs" (also the status bar item's click): with a work id, that work's
 * panel; else a list of the work in progress and the VMs that run — a work item opens its panel,
 * a VM shows the Hosts and VMs view. It reads what the editor knows already: it connects to
 * nothing and starts nothing, so it needs no trust.
 */
export async function showRunning(services: LabServices, argument: unknown): Promise<void> {
  if (typeof argument === 'number' && services.work.reveal(argument)) return;
  const work = services.work.list().map((item) => ({ label: `$(sync) ${workWords(item)}`, id: item.id as number | undefined }));
  const vms = services.registry
    .all()
    .filter((vm) => vm.state !== 'stopped')
    .map((vm) => ({ label: `$(vm) ${vm.key.vmName}`, description: `${vm.state} · ${vscode.workspace.asRelativePath(vm.key.labPath)}`, id: undefined }));
  if (work.length === 0 && vms.length === 0) {
    void vscode.window.showInformationMessage('Nothing of QEMU Lab runs now: no VM, experiment, migration or COLO pair.');
    return;
  }
  const picked = await vscode.window.showQuickPick([...work, ...vms], { title: 'QEMU Lab: what runs now' });
  if (picked === undefined) return;
  if (picked.id !== undefined && services.work.reveal(picked.id)) return;
  await vscode.commands.executeCommand('qemuLab.hosts.focus');
}
