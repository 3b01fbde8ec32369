import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LabModel } from '../../core/lab/model';
import type { LabServices } from '../services';

/** A lab file named by plain data: `{ kind: 'labRef', labPath }`. */
export interface LabRef {
  readonly kind: 'labRef';
  readonly labPath: string;
}

function isLabRef(value: unknown): value is LabRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Partial<LabRef>;
  return ref.kind === 'labRef' && typeof ref.labPath === 'string';
}

/** The lab files of the workspace that are files (not unsaved text). */
export async function labFiles(services: LabServices): Promise<readonly LabModel[]> {
  return (await services.labs.labs()).filter((lab) => lab.path !== '<memory>');
}

/**
 * The lab file a results command is about: the one named by the argument (a `labRef`, or the
 * URI of a lab file), the only one of the workspace, or the one the user picks. Without any lab
 * file, the default one of the first folder (`qemu-lab.yaml`, as the CLI's `-f` default), so
 * imported results have a home. Undefined when the user cancels or no folder is open.
 */
export async function pickLabPath(services: LabServices, argument: unknown, title: string): Promise<string | undefined> {
  if (isLabRef(argument)) return argument.labPath;
  if (argument instanceof vscode.Uri && argument.scheme === 'file') return argument.fsPath;
  const labs = await labFiles(services);
  if (labs.length === 1) return labs[0]?.path;
  if (labs.length === 0) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined) {
      void vscode.window.showInformationMessage('Open a folder with a lab file first (or create one: "QEMU Lab: New Lab File").');
      return undefined;
    }
    return join(folder.uri.fsPath, 'qemu-lab.yaml');
  }
  const picked = await vscode.window.showQuickPick(
    labs.map((lab) => ({
      label: vscode.workspace.asRelativePath(lab.path),
      description: lab.experiments.size === 0 ? 'no experiments' : [...lab.experiments.keys()].join(', '),
      labPath: lab.path,
    })),
    { title, placeHolder: 'Lab file' },
  );
  return picked?.labPath;
}

/**
 * "QEMU Lab: Show Results": the results panel of a lab file (picked when there are several),
 * from the palette or the Hosts and VMs view's title bar. Reads only: allowed in an untrusted
 * workspace.
 */
export async function showResults(services: LabServices, argument: unknown): Promise<void> {
  const labPath = await pickLabPath(services, argument, 'Show the results of which lab file?');
  if (labPath === undefined) return;
  services.results.show(labPath);
}
