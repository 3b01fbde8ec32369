/**
 * `qemu-lab report --migrations [VM] [--format md|csv] [-o PATH]`: the lab's stored migrations
 * compared across their settings, one table per VM (the table the migration panel's "Compare
 * settings" tab charts). Printed, or written to PATH with `-o`; `--json` prints the comparisons
 * as data.
 */
import { dirname, relative, resolve } from 'node:path';
import { writeFileAtomically } from '../../core/infrastructure/files/atomic-write';
import { readMigrationRecords } from '../../core/migration/store';
import { compareMigrations, migratedVms, recordsOfLab } from '../../core/measuring/reports/migration-comparison';
import { renderMigrationComparisonCsv, renderMigrationComparisonMarkdown } from '../../core/measuring/reports/migration-comparison-table';
import { ResultStoreError } from '../../core/measuring/results/errors';
import { UsageError, type CliIo, type GlobalOptions } from '../io';
import { loadLabOrFail } from '../load-lab';

/** What `report` parsed, for the migrations report. */
export interface MigrationReportOptions {
  readonly format: string | undefined;
  readonly output: string | undefined;
  /** At most one: the VM to compare (default: every VM with stored migrations). */
  readonly positionals: readonly string[];
}

/** Runs the migrations report; returns the exit code. */
export async function reportMigrations(options: MigrationReportOptions, global: GlobalOptions, io: CliIo): Promise<number> {
  const format = options.format ?? 'md';
  if (format !== 'md' && format !== 'csv') throw new UsageError(`report --migrations takes --format md or csv, not "${format}".`);
  if (options.positionals.length > 1) throw new UsageError('report --migrations takes at most one VM name.');
  const lab = await loadLabOrFail(global.file, io);
  const records = recordsOfLab(await readMigrationRecords(dirname(lab.path)), lab.path);
  const vms = migratedVms(records).map((v) => v.vm);
  const wanted = options.positionals[0];
  if (records.length === 0) {
    throw new ResultStoreError('This lab has no stored migrations yet.', { hint: 'Migrate a VM first: qemu-lab migrate VM --to HOST (every attempt is stored).' });
  }
  if (wanted !== undefined && !vms.includes(wanted)) {
    throw new ResultStoreError(`VM "${wanted}" has no stored migrations.`, { hint: `VMs with stored migrations: ${vms.join(', ')}.` });
  }
  const comparisons = (wanted === undefined ? vms : [wanted]).map((vm) => compareMigrations(records, vm));
  const text = global.json && options.output === undefined ? `${JSON.stringify(comparisons, null, 2)}\n` : format === 'csv' ? renderMigrationComparisonCsv(comparisons) : renderMigrationComparisonMarkdown(comparisons);
  if (options.output === undefined) {
    io.out(text);
    return 0;
  }
  const output = resolve(io.cwd, options.output);
  await writeFileAtomically(output, text);
  io.out(`${global.json ? JSON.stringify({ report: output }) : `Report written: ${relative(io.cwd, output) || output}`}\n`);
  return 0;
}
