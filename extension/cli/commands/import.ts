import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBenchmarkOutput } from '../../core/bench/detect';
import { formatMetric } from '../../core/bench/metric';
import { QemuLabError, describeError } from '../../core/errors';
import { gitCommitOf, metadataFromResult, sha256, sha256OfFile } from '../../core/results/metadata';
import { makeResultRecord, type ResultRecord } from '../../core/results/record';
import { appendResult, resultsFilePath } from '../../core/results/store';
import { UsageError, type CliCommand } from '../io';

/** What happened to one file, as `--json` prints it. */
type ImportOutcome =
  | { readonly file: string; readonly ok: true; readonly summary: string; readonly record: ResultRecord }
  | { readonly file: string; readonly ok: false; readonly error: string; readonly hint?: string };

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
 * the exit code is then 1.
 */
export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import FILE… [--label L]',
  summary: 'store saved sysbench, iperf3 --json or iperf 2 output as results (one per file)',
  async run(args, global, io) {
    const { files, label } = readOptions(args);
    const labDirectory = dirname(global.file);
    const [labFileHash, gitCommit] = await Promise.all([sha256OfFile(global.file), gitCommitOf(labDirectory)]);
    const outcomes: ImportOutcome[] = [];
    for (const file of files) {
      const path = resolve(io.cwd, file);
      try {
        let bytes: Buffer;
        try {
          bytes = await readFile(path);
        } catch (error) {
          throw new QemuLabError(`cannot read it: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
        }
        const result = parseBenchmarkOutput(bytes.toString('utf8'));
        const fromLab = relative(labDirectory, path);
        const shown = fromLab.startsWith('..') || isAbsolute(fromLab) ? path : fromLab;
        const measuredAt = result.benchmark === 'iperf3' && result.startedAt !== undefined ? new Date(result.startedAt) : undefined;
        const record = makeResultRecord({
          result,
          target: 'unknown',
          host: 'unknown',
          ...(label === undefined ? {} : { label }),
          ...(measuredAt === undefined ? {} : { timestamp: measuredAt }),
          metadata: {
            ...metadataFromResult(result),
            ...(labFileHash === undefined ? {} : { labFileHash }),
            ...(gitCommit === undefined ? {} : { gitCommit }),
            source: { file: shown, sha256: sha256(bytes) },
            importedAt: new Date().toISOString(),
          },
        });
        await appendResult(labDirectory, record);
        const summary = `${result.benchmark}: ${formatMetric(result)} → stored`;
        outcomes.push({ file, ok: true, summary, record });
        if (!global.json) io.out(`${file}: ${summary}\n`);
      } catch (error) {
        const hint = error instanceof QemuLabError ? error.hint : undefined;
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({ file, ok: false, error: message, ...(hint === undefined ? {} : { hint }) });
        if (!global.json) io.err(`qemu-lab: ${file}: ${message}${hint === undefined ? '' : `\n  ${hint}`}\n`);
      }
    }
    if (global.json) {
      io.out(JSON.stringify({ store: resultsFilePath(labDirectory), files: outcomes }, null, 2) + '\n');
    }
    return outcomes.every((o) => o.ok) ? 0 : 1;
  },
};
