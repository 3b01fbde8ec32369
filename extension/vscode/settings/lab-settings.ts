import * as vscode from 'vscode';
import { describeLabSettings, readLabSettings, sameLabSettings, type LabSettings } from './settings-model';

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
    this.atStart = readEditorSettings();
    log.info(`settings at start: ${describeLabSettings(this.atStart)}`);
    for (const problem of this.atStart.problems) {
      log.warn(problem);
      void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'qemuLab');
      });
    }
    this.watching = vscode.workspace.onDidChangeConfiguration((change) => {
      if (!SETTINGS_READ_AT_START.some((key) => change.affectsConfiguration(`qemuLab.${key}`))) return;
      // A remote window (code-server, a dev container) may hand over the remote machine's
      // settings only after activation, as a change: said in the log, so a tree that shows
      // another QEMU than the settings name is explained there too.
      const now = readEditorSettings();
      const same = sameLabSettings(this.atStart, now);
      log.info(`settings changed: ${describeLabSettings(now)}${same ? ' (what this window uses already)' : ' (taken after a window reload)'}`);
      if (!same) void offerReload();
    });
  }

  dispose(): void {
    this.watching.dispose();
  }
}

function readEditorSettings(): LabSettings {
  const config = vscode.workspace.getConfiguration('qemuLab');
  return readLabSettings(
    {
      hostQemu: config.get('hostQemu'),
      stateDirectory: config.get('stateDirectory'),
      cacheDirectory: config.get('cacheDirectory'),
      remoteStateDirectory: config.get('remoteStateDirectory'),
    },
    process.env,
  );
}

async function offerReload(): Promise<void> {
  const choice = await vscode.window.showInformationMessage('QEMU Lab\'s settings changed since this window started (which QEMU a host runs, or where state goes): QEMU Lab takes them after a window reload. VMs that run now keep running.', 'Reload Window');
  if (choice === 'Reload Window') await vscode.commands.executeCommand('workbench.action.reloadWindow');
}
