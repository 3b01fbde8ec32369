import * as vscode from 'vscode';
import { loadSnapshot } from '../../core/snapshots/vm-snapshots';
import { snapshotDescription } from '../../presentation/tree/snapshot-rows';
import type { LabServices } from '../services';
import { requireTrust } from './pick-vm';
import { isSnapshotNode, runSnapshotAction } from './snapshot-action';

/** "Revert to Snapshot": the VM's memory, devices and disks go back to the snapshot's moment, after a confirmation. */
export async function revertSnapshot(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('load snapshots')) return;
  if (!isSnapshotNode(argument)) {
    void vscode.window.showInformationMessage('Revert to Snapshot works on a snapshot row: open a running VM in the QEMU Lab view to see its snapshots.');
    return;
  }
  const { vm, snapshot } = argument;
  const choice = await vscode.window.showWarningMessage(
    `Revert ${vm.vm.name} to snapshot ${snapshot.name}?`,
    { modal: true, detail: `Memory, devices and disks go back to ${snapshotDescription(snapshot)}. What the guest did since is lost.` },
    'Revert',
  );
  if (choice !== 'Revert') return;
  const loaded = await runSnapshotAction(services, vm, `Loading snapshot ${snapshot.name} into ${vm.vm.name}`, (subject) => loadSnapshot(subject, snapshot.name));
  if (loaded !== undefined) void vscode.window.showInformationMessage(`${vm.vm.name} is back at snapshot ${loaded.name}.`);
}
