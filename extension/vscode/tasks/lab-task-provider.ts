import { dirname, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { LabFiles } from '../lab-files';
import { LAB_TASK_TYPE, labTaskCommand, labTaskOffers } from './task-model';

/** What the task provider needs: passed in at activation. */
export interface LabTaskProviderDependencies {
  readonly labs: LabFiles;
  /** The extension's own CLI bundle (dist/cli.js), run by the editor's runtime as plain Node. */
  readonly cliPath: string;
  /** The environment the settings make (QEMU_LAB_STATE_DIR, QEMU_LAB_HOST_QEMU, …). */
  readonly env: NodeJS.ProcessEnv;
  readonly log: vscode.LogOutputChannel;
}

/**
 * `qemu-lab` tasks: each lab file offers "run the whole lab" and one task per experiment,
 * migration and COLO pair; each runs the extension's own CLI (`qemu-lab run [--only PART]`) in
 * a terminal, so a lab runs from "Run Task", a keybinding or tasks.json exactly as in CI. VS Code
 * runs no task in Restricted Mode.
 */
export class LabTaskProvider implements vscode.TaskProvider {
  constructor(private readonly deps: LabTaskProviderDependencies) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const lab of await this.deps.labs.labs()) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(lab.path));
      if (folder === undefined) continue;
      const labPath = relative(folder.uri.fsPath, lab.path).split(sep).join('/');
      for (const offer of labTaskOffers(lab, labPath)) {
        const task = this.taskFor(offer.definition, folder, offer.label);
        if (task === undefined) continue;
        task.detail = offer.detail;
        tasks.push(task);
      }
    }
    return tasks;
  }

  /** A task from tasks.json: checked as if typed by hand (it was). */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    if (folder === undefined) {
      this.refuse(task.name, 'qemu-lab tasks belong to a workspace folder: put it in that folder\'s .vscode/tasks.json.');
      return undefined;
    }
    return this.taskFor(task.definition, folder, task.name);
  }

  private taskFor(definition: vscode.TaskDefinition, folder: vscode.WorkspaceFolder, label: string): vscode.Task | undefined {
    const command = labTaskCommand(definition, folder.uri.fsPath);
    if ('problem' in command) {
      this.refuse(label, command.problem);
      return undefined;
    }
    const execution = new vscode.ProcessExecution(process.execPath, [this.deps.cliPath, ...command.args], {
      cwd: dirname(command.labFile),
      // Merged over the editor's environment by VS Code: only what the settings changed, and
      // what makes the editor's runtime plain Node.
      env: { ...qemuLabVariables(this.deps.env), ELECTRON_RUN_AS_NODE: '1' },
    });
    const task = new vscode.Task(definition, folder, label, LAB_TASK_TYPE, execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    return task;
  }

  private refuse(label: string, problem: string): void {
    this.deps.log.warn(`task "${label}": ${problem}`);
    void vscode.window.showErrorMessage(`QEMU Lab task "${label}": ${problem}`);
  }
}

/** The QEMU_LAB_* variables of `env`, set ones only. */
function qemuLabVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (name.startsWith('QEMU_LAB_') && value !== undefined) variables[name] = value;
  return variables;
}
