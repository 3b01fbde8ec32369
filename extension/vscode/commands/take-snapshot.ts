import * as vscode from 'vscode';
import { isSnapshotName, SNAPSHOT_NAME_RULE, timestampedName } from '../../core/snapshots/snapshot-name';
import { saveSnapshot } from '../../core/snapshots/vm-snapshots';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { runSnapshotAction } from './snapshot-action';

/** "Take Snapshot…": a whole-VM snapshot (memory, devices, disks) of a running VM, under a name the user gives. */
export async function takeSnapshot(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('take snapshots')) return;
  const node = await pickVm(argument, services, ['running', 'paused'], 'Take a snapshot of which VM?');
  if (node === undefined) return;
  const name = await vscode.window.showInputBox({
    title: `Snapshot of ${node.vm.name}`,
    prompt: 'Its name. The guest pauses while its memory is written, then runs on.',
    value: timestampedName(new Date()),
    validateInput: (text) => (isSnapshotName(text.trim()) ? undefined : `Names: ${SNAPSHOT_NAME_RULE}.`),
  });
  if (name === undefined) return;
  const saved = await runSnapshotAction(services, node, `Saving snapshot ${name.trim()} of ${node.vm.name}`, (subject) => saveSnapshot(subject, name.trim()));
  if (saved !== undefined) void vscode.window.showInformationMessage(`${node.vm.name}: snapshot ${saved.name} saved (${Math.round(saved.vmStateBytes / 1024 ** 2)} MiB of memory and device state).`);
}
