import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { addEntry } from '../../core/lab/add-entry';
import type { LabModel } from '../../core/lab/model';
import { diskVmEntryBody, vmNameForImage } from '../../core/lab/new-vm-entry';
import { readLabStage } from '../../core/lab/staged-parse';
import { NAME_PATTERN } from '../../core/lab/vocabulary';
import type { LabServices } from '../services';

/** The lab file to add to: the only one, or one the user picks; undefined (having said why) when none. */
async function pickLab(services: LabServices): Promise<LabModel | undefined> {
  const labs = await services.labs.labs();
  if (labs.length === 0) {
    const choice = await vscode.window.showInformationMessage('The workspace has no lab file to add the VM to.', 'New Lab File');
    if (choice === 'New Lab File') await vscode.commands.executeCommand('qemuLab.newLabFile');
    return undefined;
  }
  if (labs.length === 1) return labs[0];
  const picked = await vscode.window.showQuickPick(labs.map((lab) => ({ label: vscode.workspace.asRelativePath(lab.path), lab })), { title: 'Add the VM to which lab file?' });
  return picked?.lab;
}

/**
 * "QEMU Lab: New VM from Image…": picks a disk image (a distribution's cloud image, say), asks
 * for the VM's name, and adds the VM to a lab file — on its own overlay of the image, with
 * cloud-init — in the file's own style; the file is saved and shown at the new entry. It edits a
 * file only, so it works in Restricted Mode too.
 */
export async function newVmFromImage(services: LabServices): Promise<void> {
  const lab = await pickLab(services);
  if (lab === undefined) return;
  const labDirectory = dirname(lab.path);
  const [image] =
    (await vscode.window.showOpenDialog({
      title: 'New VM from a disk image',
      openLabel: 'Use This Image',
      canSelectMany: false,
      defaultUri: vscode.Uri.file(labDirectory),
      filters: { 'Disk images': ['qcow2', 'img', 'raw'], 'All files': ['*'] },
    })) ?? [];
  if (image === undefined) return;
  const taken = new Set(lab.vms.keys());
  const name = await vscode.window.showInputBox({
    title: 'Name of the new VM',
    value: vmNameForImage(image.fsPath, taken),
    validateInput: (text) => (!NAME_PATTERN.test(text) ? 'Use letters, digits, dot, dash and underscore, not starting with a dot or dash.' : taken.has(text) ? `The lab file has a VM "${text}" already.` : undefined),
  });
  if (name === undefined) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(lab.path));
  const text = document.getText();
  const added = addEntry({ text, tree: readLabStage(text, lab.path).tree }, 'vms', name, diskVmEntryBody(image.fsPath, labDirectory));
  if (added === undefined) {
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(lab.path)} has a shape where QEMU Lab cannot add a VM safely (vms: is not a mapping): add it by hand.`);
    return;
  }
  const range = new vscode.Range(document.positionAt(added.start), document.positionAt(added.end));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, added.newText);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) {
    void vscode.window.showErrorMessage(`Could not write the VM into ${vscode.workspace.asRelativePath(lab.path)}: is the file read-only?`);
    return;
  }
  const entry = document.getText().indexOf(`${name}:`, added.start);
  const at = document.positionAt(entry === -1 ? added.start : entry);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at) });
  services.log.info(`${name}: added to ${lab.path} from ${image.fsPath}`);
}
