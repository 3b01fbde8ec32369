/**
 * What one migration did, in numbers: the typed summary the CLI prints, the store keeps and the
 * editor charts.
 */
import type { VmLocation } from '../machines/vm/vm-record';
import type { NonConvergence } from './convergence';
import type { MigrationPhase } from './phases';
import type { MigrationProgress, XbzrleStats } from './progress';
import type { SettingsInEffect } from './settings';

/** How a migration ended. */
export type MigrationOutcome = 'completed' | 'failed' | 'cancelled';

/** The summary of one migration attempt. */
export interface MigrationSummary {
  readonly vm: string;
  /** The lab's `migrations:` entry, when it came from one. */
  readonly migration: string | undefined;
  readonly from: VmLocation;
  readonly to: VmLocation;
  /** What the source connected to, e.g. `tcp:10.0.0.2:49152`. */
  readonly uri: string | undefined;
  readonly status: MigrationOutcome;
  /** Why it failed or was cancelled. */
  readonly error: string | undefined;
  /** `done`, or the step that failed or was cancelled (then rolled back). */
  readonly phase: MigrationPhase;
  /** ISO 8601. */
  readonly startedAt: string;
  /** Begin to end, everything included (starting the destination, the switch-over, the source quitting). */
  readonly wallTimeMs: number;
  /** QEMU's `total-time`: from `migrate` to the end of the switch-over. */
  readonly totalTimeMs: number | undefined;
  /** How long the guest was stopped. */
  readonly downtimeMs: number | undefined;
  readonly setupTimeMs: number | undefined;
  readonly ram: {
    readonly totalBytes: number | undefined;
    readonly transferredBytes: number | undefined;
    readonly remainingBytes: number | undefined;
    readonly normalBytes: number | undefined;
    readonly postcopyBytes: number | undefined;
    readonly multifdBytes: number | undefined;
    readonly pageSize: number | undefined;
  };
  readonly pages: { readonly normal: number | undefined; readonly duplicate: number | undefined; readonly skipped: number | undefined };
  /** RAM transferred over QEMU's total time, bytes per second. */
  readonly throughputBytesPerSecond: number | undefined;
  readonly dirtySyncCount: number | undefined;
  readonly postcopyRequests: number | undefined;
  /** `migrate-start-postcopy` was sent. */
  readonly switchedToPostcopy: boolean;
  /** The highest vCPU throttle auto-converge applied, percent. */
  readonly maxCpuThrottlePercentage: number | undefined;
  readonly xbzrle: XbzrleStats | undefined;
  readonly settings: SettingsInEffect;
  /** Milliseconds in each phase. */
  readonly phases: Partial<Record<MigrationPhase, number>>;
  /** Reported when the migration did not converge. */
  readonly nonConvergence: NonConvergence | undefined;
  readonly qemu: { readonly source: string | undefined; readonly destination: string | undefined };
  /** The guest's SSH endpoint after the migration (user networking forwards a new port). */
  readonly ssh: { readonly host: string; readonly port: number } | undefined;
  /**
   * A disk guest's disk between two hosts: `shared` (opened at the same path) or `copy` (mirrored:
   * `sync` top = its overlay only, full = all of it; bytes copied until the copy was in step, and how long).
   * Absent for the built-in guest, within one host, and in records from before disk moves.
   */
  readonly disk?: { readonly storage: 'copy' | 'shared'; readonly sync?: 'top' | 'full'; readonly copiedBytes?: number; readonly copyMs?: number };
}

/** What the orchestrator knows at the end, besides QEMU's last `query-migrate`. */
export type SummaryFacts = Pick<
  MigrationSummary,
  | 'vm'
  | 'migration'
  | 'from'
  | 'to'
  | 'uri'
  | 'status'
  | 'error'
  | 'phase'
  | 'startedAt'
  | 'wallTimeMs'
  | 'settings'
  | 'phases'
  | 'switchedToPostcopy'
  | 'maxCpuThrottlePercentage'
  | 'nonConvergence'
  | 'qemu'
  | 'ssh'
  | 'disk'
>;

/** The summary from the facts and the last progress sample (undefined when `migrate` never ran). */
export function summarize(facts: SummaryFacts, last: MigrationProgress | undefined): MigrationSummary {
  const totalTimeMs = last?.elapsedMs;
  const transferred = last?.transferredBytes;
  return {
    ...facts,
    totalTimeMs,
    downtimeMs: last?.downtimeMs,
    setupTimeMs: last?.setupTimeMs,
    ram: {
      totalBytes: last?.totalBytes,
      transferredBytes: transferred,
      remainingBytes: last?.remainingBytes,
      normalBytes: last?.normalPages !== undefined && last.pageSize !== undefined ? last.normalPages * last.pageSize : undefined,
      postcopyBytes: last?.postcopyBytes,
      multifdBytes: last?.multifdBytes,
      pageSize: last?.pageSize,
    },
    pages: { normal: last?.normalPages, duplicate: last?.duplicatePages, skipped: last?.skippedPages },
    throughputBytesPerSecond: transferred !== undefined && totalTimeMs !== undefined && totalTimeMs > 0 ? (transferred * 1000) / totalTimeMs : undefined,
    dirtySyncCount: last?.dirtySyncCount,
    postcopyRequests: last?.postcopyRequests,
    xbzrle: last?.xbzrle,
  };
}
