/**
 * Migration records: `<lab dir>/.qemu-lab/results/migrations.jsonl`, one {@link MigrationRecord}
 * per line, next to the benchmark results (`results.jsonl`, whose records are benchmark runs
 * and cannot hold a migration cleanly). Appended the same way as that store, by appendLine: one
 * whole line in one `write(2)` with `O_APPEND`, then `fsync` — never truncated, never interleaved.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type JsonlContents, JsonlFile, jsonlLine } from '../infrastructure/files/jsonl-file';
import { ResultStoreError } from '../measuring/results/errors';
import { resultsDirectory } from '../measuring/results/store';
import type { MigrationTimeline } from './during/timeline';
import type { MigrationSummary } from './summary';

/** The record layout written today. */
export const MIGRATION_RECORD_SCHEMA = 1;

/** One stored migration. */
export interface MigrationRecord {
  readonly id: string;
  readonly schema: number;
  readonly kind: 'migration';
  /** ISO 8601, when it ended. */
  readonly timestamp: string;
  /** The lab file's path. */
  readonly lab: string;
  readonly summary: MigrationSummary;
  /**
   * The migration on a time axis: its progress samples and, with `--during`, the benchmark
   * samples around it. Added later without a schema change: older records have none, and older
   * readers ignore it.
   */
  readonly timeline?: MigrationTimeline;
}

/** The store file under a lab directory. */
export function migrationsFilePath(labDirectory: string): string {
  return join(resultsDirectory(labDirectory), 'migrations.jsonl');
}

/** A new record for a summary. */
export function makeMigrationRecord(labPath: string, summary: MigrationSummary, timestamp = new Date(), timeline?: MigrationTimeline): MigrationRecord {
  return { id: randomUUID(), schema: MIGRATION_RECORD_SCHEMA, kind: 'migration', timestamp: timestamp.toISOString(), lab: labPath, summary, ...(timeline === undefined ? {} : { timeline }) };
}

/** Appends a record to the store of `labDirectory`; returns the file's path. */
export async function appendMigrationRecord(labDirectory: string, record: MigrationRecord): Promise<string> {
  const path = migrationsFilePath(labDirectory);
  const line = jsonlLine(record);
  try {
    const { bytesWritten, bytes } = await new JsonlFile(path, 0o644).append(line);
    if (bytesWritten !== bytes) throw new ResultStoreError(`Only ${bytesWritten} of ${bytes} bytes of the migration record reached ${path} (disk full?).`);
  } catch (error) {
    if (error instanceof ResultStoreError) throw error;
    throw new ResultStoreError(`Cannot write the migration store ${path}: ${(error as Error).message}`, {
      hint: 'Check that the lab directory is writable.',
      cause: error,
    });
  }
  return path;
}

/** Every readable record of the store (lines that are not records are skipped); none when there is no store. */
export async function readMigrationRecords(labDirectory: string): Promise<MigrationRecord[]> {
  let contents: JsonlContents | undefined;
  try {
    // Torn or corrupt lines are skipped.
    contents = await new JsonlFile(migrationsFilePath(labDirectory), 0o644).read();
  } catch (error) {
    throw new ResultStoreError(`Cannot read the migration store: ${(error as Error).message}`, { cause: error });
  }
  const records: MigrationRecord[] = [];
  for (const { value: parsed } of contents?.values ?? []) {
    const value = parsed as Partial<MigrationRecord> | null;
    if (value?.kind === 'migration' && typeof value.schema === 'number' && value.schema <= MIGRATION_RECORD_SCHEMA && typeof value.summary === 'object') {
      records.push(value as MigrationRecord);
    }
  }
  return records;
}
