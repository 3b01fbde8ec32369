import { parseArgs } from 'node:util';
import { describeError } from '../../core/errors';
import { importBenchmarkFiles } from '../../core/measuring/results/import';
import { UsageError, type CliCommand } from '../io';

function readOptions(args: readonly string[]): { files: string[]; label: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { label: { type: 'string', short: 'l' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeError(error));
  }
  const label = parsed.values.label;
  if (label !== undefined && label.trim() === '') throw new UsageError('--label needs some text.');
  if (parsed.positionals.length === 0) throw new UsageError('import needs at least one file of benchmark output.');
  return { files: parsed.positionals, label };
}

/**
 * `qemu-lab import FILE… [--label L]`: reads benchmark output saved in files (sysbench cpu or
 * memory, iperf3 --json, iperf 2), stores one result per file in `.qemu-lab/results/results.jsonl`
 * next to the lab file (`-f`; by default the current directory), and prints one line per file.
 * A file that cannot be read or understood is reported and the others are still imported;
 * the exit code is then 1. The work is {@link importBenchmarkFiles}'s; this prints it.
 */
export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import FILE… [--label L]',
  summary: 'store saved sysbench, iperf3 --json or iperf 2 output as results (one per file)',
  async run(args, global, io) {
    const { files, label } = readOptions(args);
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
};
