/**
 * The results panel's exports, in the editor: asks where to save (a local file only: the lab
 * runs here), makes the files (presentation/panels/results/exports.ts decides what they hold),
 * writes them atomically and offers to open what it wrote. Every failure is shown and logged;
 * none is thrown.
 */
import * as vscode from 'vscode';
import { describeError } from '../../../core/errors';
import { writeFilesAtomically, type OutputFile } from '../../../core/infrastructure/files/atomic-write';
import { readRunLog } from '../../../core/measuring/experiments/run-log';
import { reportInput } from '../../../core/measuring/reports/report-input';
import { readResults } from '../../../core/measuring/results/store';
import { EXPORT_FILTERS, defaultExportPath, pngBytes, reportFiles, type ExportKind } from '../../../presentation/panels/results/exports';
import type { ResolvedSelection } from '../../../presentation/panels/results/selection';

/** The run an export is of: the lab and what its panel shows. */
export interface ExportSource {
  readonly labPath: string;
  readonly labDirectory: string;
  readonly shown: ResolvedSelection;
}

/** Asks where to save; undefined when the user cancels. Only local files: the lab runs here. */
async function askTarget(source: ExportSource, kind: ExportKind, chartId?: string): Promise<string | undefined> {
  const experiment = source.shown.experiment ?? 'results';
  const uri = await vscode.window.showSaveDialog({
    title: kind === 'png' ? 'Save Chart as PNG' : kind === 'csv' ? 'Export Raw Values as CSV' : `Save ${kind === 'md' ? 'Markdown' : 'HTML'} Report`,
    defaultUri: vscode.Uri.file(defaultExportPath(source.labDirectory, kind, experiment, source.shown.runId, chartId)),
    filters: EXPORT_FILTERS[kind],
    saveLabel: 'Save',
  });
  if (uri === undefined) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('QEMU Lab saves exports on this machine only: pick a local folder.');
    return undefined;
  }
  return uri.fsPath;
}

async function write(log: vscode.LogOutputChannel, files: readonly OutputFile[], what: string): Promise<void> {
  const target = files[files.length - 1]?.path;
  if (target === undefined) return;
  try {
    await writeFilesAtomically(files);
  } catch (error) {
    log.error(`${what}: could not write ${target}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not save the ${what}: ${describeError(error)}`);
    return;
  }
  log.info(`${what} written: ${files.map((f) => f.path).join(', ')}`);
  const choice = await vscode.window.showInformationMessage(`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} saved: ${vscode.workspace.asRelativePath(target)}`, 'Open');
  if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
}

/** Exports the shown run as CSV, a Markdown report (with its SVG charts) or an HTML report. */
export async function exportReport(log: vscode.LogOutputChannel, source: ExportSource, kind: 'csv' | 'md' | 'html'): Promise<void> {
  const { experiment, runId } = source.shown;
  if (experiment === undefined || runId === undefined) {
    void vscode.window.showInformationMessage('There is no run to export yet.');
    return;
  }
  const what = kind === 'csv' ? 'CSV of raw values' : `${kind === 'md' ? 'Markdown' : 'HTML'} report`;
  const target = await askTarget(source, kind);
  if (target === undefined) return;
  let files: OutputFile[];
  try {
    // Read again at export time: a run still going on may have added measurements since.
    const { records } = await readResults(source.labDirectory);
    const input = reportInput(records, experiment, source.labPath, await readRunLog(source.labDirectory, runId), runId);
    files = reportFiles(kind, input, target);
  } catch (error) {
    log.error(`${what}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not make the ${what}: ${describeError(error)}`);
    return;
  }
  await write(log, files, what);
}

/** Saves a chart the webview sent as a PNG data URL. */
export async function exportPng(log: vscode.LogOutputChannel, source: ExportSource, chartId: string, dataUrl: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = pngBytes(dataUrl);
  } catch (error) {
    log.warn(`results panel: PNG of chart ${chartId} refused: ${describeError(error)}`);
    return;
  }
  const target = await askTarget(source, 'png', chartId);
  if (target === undefined) return;
  await write(log, [{ path: target, content: bytes }], 'chart image');
}
