import * as vscode from 'vscode';
import { readLabSettings, type LabSettings } from './settings-model';

/** The `qemuLab.*` settings read at activation (the others are read where they are used). */
const SETTINGS_READ_AT_START = ['hostQemu', 'stateDirectory', 'cacheDirectory', 'remoteStateDirectory'] as const;

/**
 * The `qemuLab.*` settings of this window, read once at activation: the tree, the VMs' records,
 * the caches and the probed QEMUs are built on them, so a change asks for a window reload rather
 * than leaving running VMs behind in a folder nobody looks at, or a tree that shows one QEMU
 * while a boot takes another.
 *
 * The settings are machine-scoped (package.json): a workspace's `.vscode/settings.json` cannot
 * set them, so opening a folder never chooses which program runs or where state goes.
 */
export class EditorLabSettings implements vscode.Disposable {
  /** The settings as activation read them. */
  readonly atStart: LabSettings;
  private readonly watching: vscode.Disposable;

  constructor(log: vscode.LogOutputChannel) {
    const config = vscode.workspace.getConfiguration('qemuLab');
    this.atStart = readLabSettings(
      {
        hostQemu: config.get('hostQemu'),
        stateDirectory: config.get('stateDirectory'),
        cacheDirectory: config.get('cacheDirectory'),
        remoteStateDirectory: config.get('remoteStateDirectory'),
      },
      process.env,
    );
    for (const problem of this.atStart.problems) {
      log.warn(problem);
      void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'qemuLab');
      });
    }
    this.watching = vscode.workspace.onDidChangeConfiguration((change) => {
      if (SETTINGS_READ_AT_START.some((key) => change.affectsConfiguration(`qemuLab.${key}`))) void offerReload();
    });
  }

  dispose(): void {
    this.watching.dispose();
  }
}

async function offerReload(): Promise<void> {
  const choice = await vscode.window.showInformationMessage('QEMU Lab takes the changed setting after a window reload. VMs that run now keep running.', 'Reload Window');
  if (choice === 'Reload Window') await vscode.commands.executeCommand('workbench.action.reloadWindow');
}
