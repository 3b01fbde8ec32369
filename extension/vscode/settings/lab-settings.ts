import * as vscode from 'vscode';
import type { HostQemuSetting } from '../../core/infrastructure/hosts/probes/qemu-binary';
import { readLabSettings, type LabSettings } from './settings-model';

/** The settings read once at activation: the folders every part of the extension was built with. */
const FOLDER_SETTINGS = ['stateDirectory', 'cacheDirectory', 'remoteStateDirectory'] as const;

/**
 * The `qemuLab.*` settings of this window. The folders are read once, at activation: the tree,
 * the VMs' records and the caches are built on them, so a change asks for a window reload
 * rather than leaving running VMs behind in a folder nobody looks at. `qemuLab.hostQemu` is read
 * again at each boot, migration or probe.
 *
 * The settings are machine-scoped (package.json): a workspace's `.vscode/settings.json` cannot
 * set them, so opening a folder never chooses which program runs or where state goes.
 */
export class EditorLabSettings implements vscode.Disposable {
  /** The settings as activation read them. */
  readonly atStart: LabSettings;
  private readonly watching: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.atStart = this.read();
    this.report(this.atStart);
    this.watching = vscode.workspace.onDidChangeConfiguration((change) => {
      if (FOLDER_SETTINGS.some((key) => change.affectsConfiguration(`qemuLab.${key}`))) void this.offerReload();
      if (change.affectsConfiguration('qemuLab.hostQemu')) this.report(this.read());
    });
  }

  /** The QEMU `host` runs when its lab file entry names none, as the settings say now. */
  qemuFor(host: string): HostQemuSetting | undefined {
    return this.read().qemuFor(host);
  }

  dispose(): void {
    this.watching.dispose();
  }

  private read(): LabSettings {
    const config = vscode.workspace.getConfiguration('qemuLab');
    return readLabSettings(
      {
        stateDirectory: config.get('stateDirectory'),
        cacheDirectory: config.get('cacheDirectory'),
        remoteStateDirectory: config.get('remoteStateDirectory'),
        hostQemu: config.get('hostQemu'),
      },
      process.env,
    );
  }

  private report(settings: LabSettings): void {
    for (const problem of settings.problems) {
      this.log.warn(problem);
      void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'qemuLab');
      });
    }
  }

  private async offerReload(): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      'QEMU Lab uses the new folders after a window reload. VMs that run now keep running, and show again when the old folder is set back.',
      'Reload Window',
    );
    if (choice === 'Reload Window') await vscode.commands.executeCommand('workbench.action.reloadWindow');
  }
}
