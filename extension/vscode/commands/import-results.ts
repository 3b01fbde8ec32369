import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { importBenchmarkFiles, type ImportOutcome } from '../../core/measuring/results/import';
import type { LabServices } from '../services';
import { requireTrust } from './pick-vm';
import { pickLabPath } from './show-results';

function outcomeLine(outcome: ImportOutcome): string {
  return outcome.ok ? `${outcome.file}: ${outcome.summary}` : `${outcome.file}: ${outcome.error}${outcome.hint === undefined ? '' : ` (${outcome.hint})`}`;
}

/**
 * "QEMU Lab: Import Benchmark Output…": picks files of saved benchmark output (sysbench cpu or
 * memory, iperf3 --json, iperf 2), detects the tool of each, and stores one result per file in
 * the store of the lab file's folder — the same core as `qemu-lab import`. Then shows the lab's
 * results. Needs a trusted workspace: it runs git in the lab folder for the commit.
 */
export async function importResults(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('import results')) return;
  const labPath = await pickLabPath(services, argument, 'Import into the results of which lab file?');
  if (labPath === undefined) return;
  const labDirectory = dirname(labPath);
  const uris = await vscode.window.showOpenDialog({
    title: 'Import Benchmark Output (sysbench, iperf3 --json, iperf 2)',
    openLabel: 'Import',
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: true,
    defaultUri: vscode.Uri.file(labDirectory),
    filters: { 'Benchmark output': ['txt', 'json', 'log', 'out'], 'All files': ['*'] },
  });
  if (uris === undefined || uris.length === 0) return;
  const files = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  if (files.length < uris.length) void vscode.window.showWarningMessage('Only files on this machine can be imported; the others were left out.');
  if (files.length === 0) return;
  const label = await vscode.window.showInputBox({
    title: 'Label for the imported results (optional)',
    prompt: 'Stored with each result, e.g. "baseline" or "tcg"; leave empty for none. Escape cancels the import.',
    placeHolder: 'no label',
  });
  if (label === undefined) return;
  let outcomes: readonly ImportOutcome[];
  let store: string;
  try {
    ({ outcomes, store } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Importing benchmark output' }, () =>
      importBenchmarkFiles(files, {
        labFile: labPath,
        cwd: labDirectory,
        ...(label.trim() === '' ? {} : { label: label.trim() }),
        onOutcome: (outcome) => (outcome.ok ? services.log.info(`import ${outcomeLine(outcome)}`) : services.log.warn(`import ${outcomeLine(outcome)}`)),
      }),
    ));
  } catch (error) {
    services.log.error(`import: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not import: ${describeError(error)}`);
    return;
  }
  const stored = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.filter((o): o is Extract<ImportOutcome, { ok: false }> => !o.ok);
  if (stored > 0) services.results.show(labPath, undefined, { preserveFocus: true }).scheduleRefresh();
  const where = vscode.workspace.asRelativePath(store);
  if (failed.length === 0) {
    void vscode.window.showInformationMessage(`Imported ${stored} result${stored === 1 ? '' : 's'} into ${where}.`);
    return;
  }
  const first = failed[0];
  const detail = first === undefined ? '' : ` ${vscode.workspace.asRelativePath(first.file)}: ${first.error}${first.hint === undefined ? '' : ` ${first.hint}`}`;
  void vscode.window
    .showWarningMessage(`Imported ${stored} of ${outcomes.length} files; ${failed.length} could not be imported.${detail}`, 'Show Log')
    .then((choice) => {
      if (choice !== undefined) services.log.show();
    });
}
