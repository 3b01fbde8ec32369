import { dirname, join, relative, resolve } from 'node:path';
import { writeFileAtomically } from '../../core/infrastructure/files/atomic-write';
import { pathInside, safeFileName } from '../../core/infrastructure/files/safe-name';
import { ResultStoreError } from '../../core/measuring/results/errors';
import { readRunLog } from '../../core/measuring/experiments/run-log';
import { experimentRuns } from '../../core/measuring/experiments/summary';
import { renderCsv } from '../../core/measuring/reports/csv';
import { renderHtmlReport } from '../../core/measuring/reports/html';
import { renderMarkdownReport } from '../../core/measuring/reports/markdown';
import { reportInput } from '../../core/measuring/reports/report-input';
import { readResults } from '../../core/measuring/results/store';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { loadLabOrFail } from '../load-lab';
import { reportMigrations } from './report-migrations';

/**
 * `qemu-lab report [EXPERIMENT] --format md|csv|html [-o PATH]`: a report of the newest run;
 * `report --migrations [VM]`: the stored migrations compared across settings.
 */
export const reportCommand = defineCommand({
  name: 'report',
  usage: ['report [EXPERIMENT] [--format md|csv|html] [-o PATH]', 'report --migrations [VM] [--format md|csv] [-o PATH]'],
  operands: { synopsis: '[EXPERIMENT]', count: 'any', complete: 'experiment' },
  options: {
    format: { value: 'md|csv|html', help: 'Markdown with SVG charts (default), CSV of raw values, or HTML; --migrations: md or csv' },
    output: { value: 'PATH', short: 'o', complete: 'file', help: 'where to write it (default .qemu-lab/reports/ next to the lab file; --migrations: printed)' },
    migrations: { help: "the stored migrations compared across settings, one table per VM (or only VM's)" },
  },
  summary: "a report of an experiment's newest run: Markdown (+ SVG charts), CSV of raw values, or HTML; --migrations: stored migrations compared across settings",
  example: ['qemu-lab report course-report --format html -o report.html', 'qemu-lab report --migrations vm1 --format csv'],
  async run({ values, positionals }, global, io) {
    if (values.migrations === true) return reportMigrations({ format: values.format, output: values.output, positionals }, global, io);
    const format = values.format ?? 'md';
    if (!['md', 'csv', 'html'].includes(format)) throw new UsageError(`--format is md, csv or html, not "${format}".`);
    if (positionals.length > 1) throw new UsageError('report takes at most one experiment name.');
    const lab = await loadLabOrFail(global.file, io);
    const labDir = dirname(lab.path);
    const { records, problems } = await readResults(labDir);
    for (const problem of problems) io.err(`results line ${problem.line} skipped: ${problem.message}\n`);
    const name = positionals[0] ?? [...lab.experiments.keys()].find((e) => experimentRuns(records, e).length > 0);
    if (name === undefined) {
      throw new ResultStoreError('No experiment of this lab has stored results yet.', { hint: 'Run one first: qemu-lab bench EXPERIMENT' });
    }
    const runs = experimentRuns(records, name);
    if (runs.length === 0) throw new ResultStoreError(`Experiment "${name}" has no stored results.`, { hint: `Run it first: qemu-lab bench ${name}` });
    const input = reportInput(records, name, lab.path, await readRunLog(labDir, runs[0]?.runId ?? ''), runs[0]?.runId);

    const defaultName = `${safeFileName(name, 'results')}-report.${format}`;
    const output = resolve(io.cwd, values.output ?? join(labDir, '.qemu-lab', 'reports', defaultName));
    if (format === 'csv') {
      await writeFileAtomically(output, renderCsv(input.records));
    } else if (format === 'html') {
      await writeFileAtomically(output, renderHtmlReport(input));
    } else {
      const report = renderMarkdownReport(input);
      for (const file of report.files) await writeFileAtomically(pathInside(dirname(output), file.path), file.content);
      await writeFileAtomically(output, report.text);
    }
    io.out(`${global.json ? JSON.stringify({ report: output }) : `Report written: ${relative(io.cwd, output) || output}`}\n`);
    return 0;
  },
});
