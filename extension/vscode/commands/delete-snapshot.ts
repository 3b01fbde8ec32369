import * as vscode from 'vscode';
import { deleteSnapshot as deleteVmSnapshot } from '../../core/snapshots/vm-snapshots';
import type { LabServices } from '../services';
import { runSnapshotAction, snapshotRowOf } from './snapshot-action';

/** "Delete Snapshot": removes a snapshot from every disk of the VM, after a confirmation; the guest is not touched. */
export async function deleteSnapshot(services: LabServices, argument: unknown): Promise<void> {
  const row = snapshotRowOf(argument, 'Delete Snapshot', 'delete snapshots');
  if (row === undefined) return;
  const { vm, snapshot } = row;
  const choice = await vscode.window.showWarningMessage(`Delete snapshot ${snapshot.name} of ${vm.vm.name}?`, { modal: true, detail: 'The running guest is not touched.' }, 'Delete');
  if (choice !== 'Delete') return;
  await runSnapshotAction(services, vm, `Deleting snapshot ${snapshot.name} of ${vm.vm.name}`, (subject) => deleteVmSnapshot(subject, snapshot.name));
}
