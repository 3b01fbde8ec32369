/**
 * Importing saved benchmark output (sysbench cpu or memory, iperf3 --json, iperf 2) into the
 * result store: one record per file, next to the lab file. `qemu-lab import` and the editor's
 * "Import Benchmark Output…" both call this.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseBenchmarkOutput } from '../workloads/detect';
import { formatMetric } from '../workloads/metric';
import { QemuLabError } from '../../errors';
import { gitCommitOf, metadataFromResult, sha256, sha256OfFile } from './metadata';
import { makeResultRecord, type ResultRecord } from './record';
import { appendResult, resultsFilePath } from './store';

/** What happened to one file. */
export type ImportOutcome =
  | { readonly file: string; readonly ok: true; readonly summary: string; readonly record: ResultRecord }
  | { readonly file: string; readonly ok: false; readonly error: string; readonly hint?: string };

/** Options for {@link importBenchmarkFiles}. */
export interface ImportOptions {
  /** The lab file: the store is the one of its folder; its hash goes into each record (it need not exist). */
  readonly labFile: string;
  /** Relative file names are resolved against this directory. */
  readonly cwd: string;
  /** A label for every imported record. */
  readonly label?: string;
  /** Called after each file, in order, as it is stored or fails. */
  readonly onOutcome?: (outcome: ImportOutcome) => void;
}

/** What {@link importBenchmarkFiles} did: the store written to, and one outcome per file, in order. */
export interface ImportReport {
  readonly store: string;
  readonly outcomes: readonly ImportOutcome[];
}

/**
 * Reads each file, detects the tool from its content, parses it, and appends one record to the
 * store of the lab file's folder. A file that cannot be read or understood gets an outcome with
 * the reason (and a hint when there is one); the others are still imported. The record's
 * `metadata.source.file` is the path relative to the lab folder when the file is inside it.
 */
export async function importBenchmarkFiles(files: readonly string[], options: ImportOptions): Promise<ImportReport> {
  const labDirectory = dirname(options.labFile);
  const [labFileHash, gitCommit] = await Promise.all([sha256OfFile(options.labFile), gitCommitOf(labDirectory)]);
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    const path = resolve(options.cwd, file);
    let outcome: ImportOutcome;
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
        ...(options.label === undefined ? {} : { label: options.label }),
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
      outcome = { file, ok: true, summary: `${result.benchmark}: ${formatMetric(result)} → stored`, record };
    } catch (error) {
      const hint = error instanceof QemuLabError ? error.hint : undefined;
      const message = error instanceof Error ? error.message : String(error);
      outcome = { file, ok: false, error: message, ...(hint === undefined ? {} : { hint }) };
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  return { store: resultsFilePath(labDirectory), outcomes };
}
