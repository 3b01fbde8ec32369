import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { partKey } from '../../core/lab-run/parts';
import type { LabModel } from '../../core/lab/model';
import type { LabViewNode } from '../../presentation/tree/lab-nodes';
import type { LabServices } from '../services';
import { LAB_TASK_TYPE } from '../tasks/task-model';
import { requireTrust } from './pick-vm';

/** The lab and part (absent: the whole lab) a "Lab" view row stands for. */
function targetOf(node: LabViewNode): { lab: LabModel; part: string | undefined } | undefined {
  if (node.kind === 'lab') return { lab: node.lab, part: undefined };
  if (node.kind === 'entry' && node.section === 'experiments') return { lab: node.lab, part: partKey('experiment', node.name) };
  if (node.kind === 'entry' && node.section === 'migrations') return { lab: node.lab, part: partKey('migration', node.name) };
  return undefined;
}

function isLabViewNode(value: unknown): value is LabViewNode {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return (kind === 'lab' || kind === 'section' || kind === 'entry') && typeof (value as { lab?: { path?: unknown } }).lab?.path === 'string';
}

/** The lab to run: the row's, the only one, or one the user picks. */
async function pickLab(services: LabServices): Promise<LabModel | undefined> {
  const labs = await services.labs.labs();
  if (labs.length <= 1) {
    if (labs.length === 0) void vscode.window.showInformationMessage('The workspace has no lab file. Make one with "QEMU Lab: New Lab File".');
    return labs[0];
  }
  const picked = await vscode.window.showQuickPick(
    labs.map((lab) => ({ label: vscode.workspace.asRelativePath(lab.path), lab })),
    { title: 'Run which lab (every experiment, migration and COLO pair)?' },
  );
  return picked?.lab;
}

/**
 * "QEMU Lab: Run in Terminal": runs a lab (`qemu-lab run`), or one experiment or migration of it
 * (`--only`), as the `qemu-lab` task of the same definition: the CLI in a terminal, the report
 * next to the lab file, exactly as in CI.
 */
export async function runLabCommand(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('run labs')) return;
  const target = isLabViewNode(argument) ? targetOf(argument) : undefined;
  const lab = target?.lab ?? (await pickLab(services));
  if (lab === undefined) return;
  const part = target?.part;
  const tasks = await vscode.tasks.fetchTasks({ type: LAB_TASK_TYPE });
  const task = tasks.find((t) => {
    const folder = typeof t.scope === 'object' ? t.scope.uri.fsPath : undefined;
    const definition = t.definition as { lab?: unknown; part?: unknown };
    return folder !== undefined && typeof definition.lab === 'string' && resolve(folder, definition.lab) === lab.path && definition.part === part;
  });
  if (task === undefined) {
    void vscode.window.showErrorMessage(`No qemu-lab task runs ${part ?? 'the whole lab'} of ${vscode.workspace.asRelativePath(lab.path)}: is the lab file inside a workspace folder, and saved?`);
    return;
  }
  services.log.info(`running ${task.name} in a terminal`);
  await vscode.tasks.executeTask(task);
}
