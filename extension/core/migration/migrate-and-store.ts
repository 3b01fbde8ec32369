/**
 * The use case "migrate a VM and store the attempt", as both the CLI (`qemu-lab migrate`) and the
 * editor ("Migrate VM…") run it: the migration with its timeline (and `--during` benchmarks), then
 * every attempt that started — done or failed — appended to the lab's migration store. Progress
 * goes to the callbacks in `options`; the caller only presents.
 */
import { dirname } from 'node:path';
import { MigrationError } from './errors';
import type { TimelineRecorder } from './during/recorder';
import { migrateWithTimeline, type DuringHooks, type DuringRequest, type MigrationRun } from './during/session';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from './request';
import { appendMigrationRecord, makeMigrationRecord, type MigrationRecord } from './store';
import type { MigrationSummary } from './summary';

/** What became of the attempt in the store. */
export type StoredAttempt =
  /** The migration failed before it started: there is no summary to store. */
  | { readonly kind: 'nothing-to-store' }
  | { readonly kind: 'stored'; readonly record: MigrationRecord; readonly path: string }
  /** Writing failed; the migration itself is done (or failed) all the same. */
  | { readonly kind: 'store-failed'; readonly record: MigrationRecord; readonly error: unknown };

/** A migration's outcome (exactly one of `summary` and `error`), and its stored attempt. */
export interface StoredMigrationRun extends MigrationRun {
  /** The attempt's summary: the migration's, or the failed attempt's (`MigrationError.summary`). */
  readonly attempt: MigrationSummary | undefined;
  readonly stored: StoredAttempt;
}

/** How to run it, besides the request: progress callbacks and the AbortSignal are in `migration`. */
export interface MigrateAndStoreOptions {
  readonly migration: MigrationOptions;
  /** Benchmarks around the migration. */
  readonly during?: DuringRequest;
  readonly duringHooks?: DuringHooks;
  /** Pass one to read the timeline while it runs (the editor's live panel). */
  readonly recorder?: TimelineRecorder;
  /** The stored attempt's time (default: when it ended). */
  readonly now?: () => Date;
}

/** The summary of an attempt that started, done or failed. */
export function attemptOf(run: MigrationRun): MigrationSummary | undefined {
  return run.summary ?? (run.error instanceof MigrationError ? run.error.summary : undefined);
}

/**
 * Migrates as {@link migrateWithTimeline} does (a failed migration is in `error`, not thrown;
 * throws only when the benchmarks cannot start or it is cancelled before it began), then stores
 * the attempt next to the lab file. A failure to store never throws: it is in `stored`.
 */
export async function migrateAndStore(request: MigrationRequest, deps: MigrationDependencies, options: MigrateAndStoreOptions): Promise<StoredMigrationRun> {
  const run = await migrateWithTimeline(request, deps, options.migration, options.during, options.duringHooks, options.recorder);
  const attempt = attemptOf(run);
  if (attempt === undefined) return { ...run, attempt, stored: { kind: 'nothing-to-store' } };
  const labPath = request.lab.path;
  const record = makeMigrationRecord(labPath, attempt, options.now?.() ?? new Date(), run.timeline);
  try {
    return { ...run, attempt, stored: { kind: 'stored', record, path: await appendMigrationRecord(dirname(labPath), record) } };
  } catch (error) {
    return { ...run, attempt, stored: { kind: 'store-failed', record, error } };
  }
}
