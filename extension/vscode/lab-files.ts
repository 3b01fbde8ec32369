import * as vscode from 'vscode';
import type { LabModel } from '../core/lab/model';

const LAB_GLOB = '**/{qemu-lab.yaml,*.qemu-lab.yaml}';

/**
 * The lab files of the workspace, parsed, kept current by a file watcher. A lab file with
 * errors still contributes what could be read (the Problems view says what is wrong).
 */
export class LabFiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watcher: vscode.FileSystemWatcher;
  private loaded: readonly LabModel[] = [];
  private loading: Promise<void> | undefined;

  /** Fires after the set of labs or one of them changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.watcher = vscode.workspace.createFileSystemWatcher(LAB_GLOB);
    const reload = () => void this.reload();
    this.watcher.onDidCreate(reload);
    this.watcher.onDidChange(reload);
    this.watcher.onDidDelete(reload);
  }

  /** The labs as last read (empty before the first read). */
  get current(): readonly LabModel[] {
    return this.loaded;
  }

  /** The labs, loading them on first use. */
  async labs(): Promise<readonly LabModel[]> {
    this.loading ??= this.reload();
    await this.loading;
    return this.loaded;
  }

  /** Reads every lab file again. */
  async reload(): Promise<void> {
    const run = (async () => {
      // The lab reader (and its YAML parser, the largest library the extension has) loads on
      // the first read, after activation returned: the tree asks for it at once when shown.
      const { readLabFile } = await import('../core/lab/load.js');
      const uris = await vscode.workspace.findFiles(LAB_GLOB, '**/node_modules/**', 50);
      const labs: LabModel[] = [];
      for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
        const { lab, diagnostics } = await readLabFile(uri.fsPath);
        if (lab !== undefined) labs.push(lab);
        if (diagnostics.length > 0) this.log.debug(`${uri.fsPath}: ${diagnostics.length} problem(s)`);
      }
      this.loaded = labs;
      this.changed.fire();
    })();
    this.loading = run;
    await run;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
