/**
 * What each export of the results panel writes, decided without VS Code: the files (paths and
 * contents) for a target the user picked, and the name the save dialog proposes.
 */
import { dirname, join } from 'node:path';
import { pathInside, safeFileName } from '../../../core/infrastructure/files/safe-name';
import { renderCsv } from '../../../core/measuring/reports/csv';
import { renderHtmlReport } from '../../../core/measuring/reports/html';
import { renderMarkdownReport } from '../../../core/measuring/reports/markdown';
import type { ReportInput } from '../../../core/measuring/reports/report-input';
import { resultsDirectory } from '../../../core/measuring/results/store';
import { PNG_DATA_URL_PREFIX } from '../../../../webview/shared/protocol';
import type { OutputFile } from '../../../core/infrastructure/files/atomic-write';

/** The kinds of export. */
export type ExportKind = 'csv' | 'md' | 'html' | 'png';

/** The save dialog's filter of each kind. */
export const EXPORT_FILTERS: Readonly<Record<ExportKind, Readonly<Record<string, string[]>>>> = {
  csv: { 'CSV (raw values)': ['csv'] },
  md: { 'Markdown report': ['md'] },
  html: { 'HTML report': ['html', 'htm'] },
  png: { 'PNG image': ['png'] },
};

/**
 * Where the save dialog starts: `<lab dir>/.qemu-lab/reports/`, as `qemu-lab report` writes,
 * with a name from the experiment, the run and (for PNG) the chart.
 */
export function defaultExportPath(labDirectory: string, kind: ExportKind, experiment: string, runId: string | undefined, chartId?: string): string {
  const run = runId === undefined ? '' : `-${safeFileName(runId.slice(0, 8), 'run')}`;
  const directory = join(dirname(resultsDirectory(labDirectory)), 'reports');
  switch (kind) {
    case 'csv':
      return join(directory, `${safeFileName(experiment, 'results')}${run}.csv`);
    case 'md':
      return join(directory, `${safeFileName(experiment, 'results')}-report.md`);
    case 'html':
      return join(directory, `${safeFileName(experiment, 'results')}-report.html`);
    case 'png':
      return join(directory, `${safeFileName(experiment, 'results')}${run}-${safeFileName(chartId ?? 'chart', 'chart')}.png`);
  }
}

/**
 * The files of a report written to `target`: CSV of the run's raw values; one self-contained
 * HTML file; or the Markdown text plus its SVG charts, which go first (in `charts/` beside the
 * report, where its image links point) so the report never refers to a missing chart.
 */
export function reportFiles(kind: 'csv' | 'md' | 'html', input: ReportInput, target: string): OutputFile[] {
  switch (kind) {
    case 'csv':
      return [{ path: target, content: renderCsv(input.records) }];
    case 'html':
      return [{ path: target, content: renderHtmlReport(input) }];
    case 'md': {
      const report = renderMarkdownReport(input, { chartDir: 'charts' });
      return [...report.files.map((f) => ({ path: pathInside(dirname(target), f.path), content: f.content })), { path: target, content: report.text }];
    }
  }
}

/** The PNG bytes of a `data:image/png;base64,…` URL; throws when it is not one. */
export function pngBytes(dataUrl: string): Uint8Array {
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX)) throw new Error('The chart did not come as a PNG data URL.');
  const bytes = Buffer.from(dataUrl.slice(PNG_DATA_URL_PREFIX.length), 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < signature.length || signature.some((b, i) => bytes[i] !== b)) throw new Error('The chart image is not a PNG.');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
