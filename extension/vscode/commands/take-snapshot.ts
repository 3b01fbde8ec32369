import * as vscode from 'vscode';
import { isSnapshotName, SNAPSHOT_NAME_RULE, timestampedName } from '../../core/snapshots/snapshot-name';
import { saveDiskOnlySnapshot } from '../../core/snapshots/disk-layers';
import { saveSnapshot } from '../../core/snapshots/vm-snapshots';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { runSnapshotAction } from './snapshot-action';

/** The kinds of snapshot "Take Snapshot…" offers a disk guest (the built-in guest has no disk of its own: whole-VM only). */
const KINDS = [
  { label: 'Whole VM', description: 'memory, devices and disks; Revert goes back to it', diskOnly: false },
  { label: 'Disk only', description: 'the disk alone, as a new layer the guest writes to; no pause; merged back by qemu-lab snapshot commit', diskOnly: true },
] as const;

/** "Take Snapshot…": a whole-VM snapshot (memory, devices, disks) of a running VM, or for a disk guest a disk-only one, under a name the user gives. */
export async function takeSnapshot(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('take snapshots')) return;
  const node = await pickVm(argument, services, ['running', 'paused'], 'Take a snapshot of which VM?');
  if (node === undefined) return;
  const kind = node.vm.image === 'builtin' ? KINDS[0] : await vscode.window.showQuickPick(KINDS, { title: `Snapshot of ${node.vm.name}`, placeHolder: 'Which kind of snapshot?' });
  if (kind === undefined) return;
  const name = await vscode.window.showInputBox({
    title: `Snapshot of ${node.vm.name}`,
    prompt: kind.diskOnly ? 'Its name. The guest runs on and writes to a new layer from now on.' : 'Its name. The guest pauses while its memory is written, then runs on.',
    value: timestampedName(new Date()),
    validateInput: (text) => (isSnapshotName(text.trim()) ? undefined : `Names: ${SNAPSHOT_NAME_RULE}.`),
  });
  if (name === undefined) return;
  const tag = name.trim();
  const saved = await runSnapshotAction(services, node, `Saving snapshot ${tag} of ${node.vm.name}`, (subject) => (kind.diskOnly ? saveDiskOnlySnapshot(subject, tag) : saveSnapshot(subject, tag)));
  if (saved === undefined) return;
  const what = saved.layer === undefined ? `${Math.round(saved.vmStateBytes / 1024 ** 2)} MiB of memory and device state` : `disk-only: the guest now writes to ${saved.layer.file}`;
  void vscode.window.showInformationMessage(`${node.vm.name}: snapshot ${saved.name} saved (${what}).`);
}
