import * as vscode from 'vscode';
import { loadSnapshot } from '../../core/snapshots/vm-snapshots';
import { snapshotDescription } from '../../presentation/tree/snapshot-rows';
import type { LabServices } from '../services';
import { runSnapshotAction, snapshotRowOf } from './snapshot-action';

/** "Revert to Snapshot": the VM's memory, devices and disks go back to the snapshot's moment, after a confirmation. */
export async function revertSnapshot(services: LabServices, argument: unknown): Promise<void> {
  const row = snapshotRowOf(argument, 'Revert to Snapshot', 'load snapshots');
  if (row === undefined) return;
  const { vm, snapshot } = row;
  const choice = await vscode.window.showWarningMessage(
    `Revert ${vm.vm.name} to snapshot ${snapshot.name}?`,
    { modal: true, detail: `Memory, devices and disks go back to ${snapshotDescription(snapshot)}. What the guest did since is lost.` },
    'Revert',
  );
  if (choice !== 'Revert') return;
  const loaded = await runSnapshotAction(services, vm, `Loading snapshot ${snapshot.name} into ${vm.vm.name}`, (subject) => loadSnapshot(subject, snapshot.name));
  if (loaded !== undefined) void vscode.window.showInformationMessage(`${vm.vm.name} is back at snapshot ${loaded.name}.`);
}
