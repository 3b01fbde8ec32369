import { QemuLabError } from '../errors';
import type { MigrationPhase } from './phases';
import type { MigrationSummary } from './summary';

/**
 * A migration could not start, or failed and was rolled back: the VM still runs on its source
 * host, and no destination QEMU is left. `phase` says where it stopped; `summary` holds what
 * QEMU measured when the migration got as far as sending memory.
 */
export class MigrationError extends QemuLabError {
  readonly phase: MigrationPhase;
  readonly summary: MigrationSummary | undefined;

  constructor(message: string, options: { phase: MigrationPhase; hint?: string; cause?: unknown; summary?: MigrationSummary }) {
    super(message, { hint: options.hint, cause: options.cause });
    this.phase = options.phase;
    this.summary = options.summary;
  }
}

/** The migration was cancelled (Ctrl-C, the editor's Cancel, or the non-convergence policy) and rolled back. */
export class MigrationCancelledError extends MigrationError {}

/**
 * A benchmark asked for with `--during` cannot run (a place it cannot run at, a tool missing,
 * the VM not running). Raised before anything starts; a benchmark that fails once running only
 * ends its stream, it never fails the migration.
 */
export class DuringBenchmarkError extends QemuLabError {}
