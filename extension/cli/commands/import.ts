import { importBenchmarkFiles } from '../../core/measuring/results/import';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';

/**
 * `qemu-lab import FILE… [--label L]`: reads benchmark output saved in files (sysbench cpu or
 * memory, iperf3 --json, iperf 2), stores one result per file in `.qemu-lab/results/results.jsonl`
 * next to the lab file (`-f`; by default the current directory), and prints one line per file.
 * A file that cannot be read or understood is reported and the others are still imported;
 * the exit code is then 1. The work is {@link importBenchmarkFiles}'s; this prints it.
 */
export const importCommand = defineCommand({
  name: 'import',
  operands: { synopsis: 'FILE…', count: 'any', complete: 'file' },
  options: { label: { value: 'L', short: 'l', help: 'the label the results are stored under' } },
  summary: 'store saved sysbench, iperf3 --json or iperf 2 output as results (one per file)',
  example: 'qemu-lab import cpu-run1.txt iperf3.json --label baseline',
  async run({ values: { label }, positionals: files }, global, io) {
    if (label !== undefined && label.trim() === '') throw new UsageError('--label needs some text.');
    if (files.length === 0) throw new UsageError('import needs at least one file of benchmark output.');
    const { store, outcomes } = await importBenchmarkFiles(files, {
      labFile: global.file,
      cwd: io.cwd,
      ...(label === undefined ? {} : { label }),
      onOutcome: (outcome) => {
        if (global.json) return;
        if (outcome.ok) io.out(`${outcome.file}: ${outcome.summary}\n`);
        else io.err(`qemu-lab: ${outcome.file}: ${outcome.error}${outcome.hint === undefined ? '' : `\n  ${outcome.hint}`}\n`);
      },
    });
    if (global.json) io.out(JSON.stringify({ store, files: outcomes }, null, 2) + '\n');
    return outcomes.every((o) => o.ok) ? 0 : 1;
  },
});
