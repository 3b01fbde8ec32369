/**
 * A migration's progress from QEMU's `query-migrate` reply (QAPI `MigrationInfo`), in plain
 * units: bytes, bytes per second, milliseconds. Chart the quantities, not a percentage: under a
 * busy guest "remaining" grows again after every dirty sync, so a percentage runs backwards.
 */
import { isQmpObject, type QmpObject, type QmpValue } from '../infrastructure/qmp/messages';

/** QEMU's `MigrationStatus`. */
export type QemuMigrationStatus =
  | 'none'
  | 'setup'
  | 'cancelling'
  | 'cancelled'
  | 'active'
  | 'postcopy-active'
  | 'postcopy-paused'
  | 'postcopy-recover'
  | 'completed'
  | 'failed'
  | 'colo'
  | 'pre-switchover'
  | 'device'
  | 'wait-unplug';

/** The xbzrle cache's statistics (with the xbzrle capability). */
export interface XbzrleStats {
  readonly cacheBytes: number;
  readonly encodedBytes: number;
  readonly pages: number;
  readonly cacheMisses: number;
  /** 0–1. */
  readonly cacheMissRate: number;
  readonly overflows: number;
}

/** One sample of a migration's progress. */
export interface MigrationProgress {
  readonly status: QemuMigrationStatus | string;
  /** QEMU's `total-time`: milliseconds since `migrate` (so far, or in all once completed). */
  readonly elapsedMs: number | undefined;
  readonly setupTimeMs: number | undefined;
  /** Once completed: how long the guest was stopped. */
  readonly downtimeMs: number | undefined;
  /** While active: QEMU's estimate of the downtime if it switched over now. */
  readonly expectedDowntimeMs: number | undefined;
  /** Guest RAM size. */
  readonly totalBytes: number | undefined;
  readonly transferredBytes: number | undefined;
  /** Dirty RAM not yet sent. */
  readonly remainingBytes: number | undefined;
  /** Pages the guest dirties per second (as measured at the last dirty sync). */
  readonly dirtyPagesPerSecond: number | undefined;
  /** The same in bytes per second. */
  readonly dirtyBytesPerSecond: number | undefined;
  /** What the link carries now, from QEMU's `mbps` (megabits/s), in bytes per second. */
  readonly throughputBytesPerSecond: number | undefined;
  /** Dirty-bitmap syncs so far: each starts a new pass over the dirtied RAM. */
  readonly dirtySyncCount: number | undefined;
  readonly pageSize: number | undefined;
  /** Pages sent whole. */
  readonly normalPages: number | undefined;
  /** Zero pages (sent as a flag, not as content). */
  readonly duplicatePages: number | undefined;
  readonly skippedPages: number | undefined;
  readonly postcopyRequests: number | undefined;
  readonly postcopyBytes: number | undefined;
  readonly multifdBytes: number | undefined;
  /** With auto-converge: how much QEMU slows the guest's vCPUs, percent. */
  readonly cpuThrottlePercentage: number | undefined;
  readonly xbzrle: XbzrleStats | undefined;
  /** Why it failed, in QEMU's words. */
  readonly errorDescription: string | undefined;
}

/** The statuses after which nothing more happens. */
export const FINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];

function num(object: QmpObject | undefined, key: string): number | undefined {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function xbzrleOf(value: QmpValue | undefined): XbzrleStats | undefined {
  if (!isQmpObject(value)) return undefined;
  return {
    cacheBytes: num(value, 'cache-size') ?? 0,
    encodedBytes: num(value, 'bytes') ?? 0,
    pages: num(value, 'pages') ?? 0,
    cacheMisses: num(value, 'cache-miss') ?? 0,
    cacheMissRate: num(value, 'cache-miss-rate') ?? 0,
    overflows: num(value, 'overflow') ?? 0,
  };
}

/** Reads a `query-migrate` reply. A reply without a status reads as `none`. */
export function parseMigrationInfo(reply: QmpValue): MigrationProgress {
  const info = isQmpObject(reply) ? reply : undefined;
  const ram = isQmpObject(info?.ram) ? info.ram : undefined;
  const pageSize = num(ram, 'page-size');
  const dirtyPagesPerSecond = num(ram, 'dirty-pages-rate');
  const mbps = num(ram, 'mbps');
  const errorDescription = info?.['error-desc'];
  return {
    status: typeof info?.status === 'string' ? info.status : 'none',
    elapsedMs: num(info, 'total-time'),
    setupTimeMs: num(info, 'setup-time'),
    downtimeMs: num(info, 'downtime'),
    expectedDowntimeMs: num(info, 'expected-downtime'),
    totalBytes: num(ram, 'total'),
    transferredBytes: num(ram, 'transferred'),
    remainingBytes: num(ram, 'remaining'),
    dirtyPagesPerSecond,
    dirtyBytesPerSecond: dirtyPagesPerSecond === undefined ? undefined : dirtyPagesPerSecond * (pageSize ?? 4096),
    throughputBytesPerSecond: mbps === undefined ? undefined : (mbps * 1_000_000) / 8,
    dirtySyncCount: num(ram, 'dirty-sync-count'),
    pageSize,
    normalPages: num(ram, 'normal'),
    duplicatePages: num(ram, 'duplicate'),
    skippedPages: num(ram, 'skipped'),
    postcopyRequests: num(ram, 'postcopy-requests'),
    postcopyBytes: num(ram, 'postcopy-bytes'),
    multifdBytes: num(ram, 'multifd-bytes'),
    cpuThrottlePercentage: num(info, 'cpu-throttle-percentage'),
    xbzrle: xbzrleOf(info?.['xbzrle-cache']),
    errorDescription: typeof errorDescription === 'string' ? errorDescription : undefined,
  };
}

/** Whether a status is final (completed, failed, cancelled). */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.includes(status);
}
