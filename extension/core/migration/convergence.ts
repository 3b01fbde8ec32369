/**
 * Telling a migration that will never finish from one that is slow. Pre-copy converges when
 * each pass leaves less to send than the last, until what is left fits in the downtime limit.
 * A guest that dirties memory as fast as the link carries it never gets there: after every
 * dirty sync "remaining" is back where it was. This watches the dirty syncs and says so, with
 * the fixes and what each costs.
 */
import { formatSize } from '../lab/sizes';
import type { MigrationCapability } from '../lab/model';
import type { MigrationProgress } from './progress';

/** QEMU's default `max-cpu-throttle`: auto-converge can slow the guest no further. */
const MAX_THROTTLE = 99;

/** What one dirty sync looked like (the first sample seen after it). */
export interface SyncSample {
  readonly sync: number;
  readonly remainingBytes: number;
  readonly dirtyBytesPerSecond: number;
  readonly throughputBytesPerSecond: number;
  readonly expectedDowntimeMs: number | undefined;
  /** auto-converge's vCPU throttle at that sync, percent. */
  readonly cpuThrottlePercentage: number | undefined;
}

/** A fix for a migration that does not converge, and its price. */
export interface ConvergenceFix {
  /** What to do, e.g. `--cap auto-converge`. */
  readonly fix: string;
  /** What it does. */
  readonly how: string;
  readonly tradeOff: string;
}

/** The finding: why it does not converge, the numbers, and the fixes not already in use. */
export interface NonConvergence {
  /** The dirty syncs looked at. */
  readonly syncs: readonly SyncSample[];
  readonly reason: 'dirty-rate' | 'remaining-not-shrinking';
  /** One sentence with the numbers. */
  readonly message: string;
  readonly fixes: readonly ConvergenceFix[];
}

/** Options of {@link ConvergenceWatch}. */
export interface ConvergenceOptions {
  /** How many dirty syncs in a row must show it (after the first full pass). Default 5. */
  readonly syncs?: number;
  /** Dirty rate at or above this share of the throughput counts as "as fast as the link". Default 0.9. */
  readonly ratio?: number;
  /** The remaining RAM after a sync must drop below this share of the one `syncs` earlier. Default 0.9. */
  readonly shrink?: number;
  /** The capabilities in use (their fixes are not offered again; auto-converge is given time). */
  readonly capabilities: readonly MigrationCapability[];
  readonly downtimeLimitMs: number | undefined;
  readonly maxBandwidthBytesPerSecond: number | undefined;
}

/** The fixes for a migration that does not converge, minus those already in use. */
export function convergenceFixes(
  capabilities: readonly MigrationCapability[],
  numbers: { readonly dirtyBytesPerSecond: number; readonly expectedDowntimeMs: number | undefined; readonly downtimeLimitMs: number | undefined; readonly maxBandwidthBytesPerSecond: number | undefined },
): ConvergenceFix[] {
  const fixes: ConvergenceFix[] = [];
  if (!capabilities.includes('auto-converge')) {
    fixes.push({
      fix: '--cap auto-converge',
      how: 'QEMU throttles the guest vCPUs (20% first, 10% more each pass, up to 99%) until it dirties memory slower than the link sends it',
      tradeOff: 'the guest runs slower for the rest of the migration, and the migration itself takes longer',
    });
  }
  if (capabilities.includes('postcopy')) {
    fixes.push({
      fix: 'switch to postcopy now (migrate-start-postcopy)',
      how: 'the guest moves to the destination at once and fetches the pages it still misses on demand',
      tradeOff: 'each missing page costs a network round trip on the destination; if the network or either host fails before the end, the guest is lost (neither side has all of it)',
    });
  } else {
    fixes.push({
      fix: '--cap postcopy (and switch once the first pass is done)',
      how: 'the guest moves to the destination early and fetches the pages it still misses on demand; the migration always ends',
      tradeOff: 'page faults wait for the network after the switch; a failure after the switch loses the guest; the destination must enable it too',
    });
  }
  const needed = Math.ceil(numbers.dirtyBytesPerSecond * 1.25);
  fixes.push({
    fix: `--max-bandwidth ${formatSize(needed)} (or more)`,
    how: `send faster than the guest dirties memory (${formatSize(numbers.dirtyBytesPerSecond)}/s now${numbers.maxBandwidthBytesPerSecond === undefined ? '' : `; the limit is ${formatSize(numbers.maxBandwidthBytesPerSecond)}/s`})`,
    tradeOff: 'the migration takes that much of the link from everything else; it cannot help beyond what the link carries',
  });
  if (numbers.expectedDowntimeMs !== undefined) {
    fixes.push({
      fix: `--downtime-limit ${Math.ceil(numbers.expectedDowntimeMs * 1.2)}`,
      how: `allow a longer stop at the switch-over (QEMU expects ${numbers.expectedDowntimeMs} ms; the limit is ${numbers.downtimeLimitMs ?? 300} ms)`,
      tradeOff: 'the guest is paused that long: connections may stall, timers jump',
    });
  }
  if (!capabilities.includes('xbzrle')) {
    fixes.push({
      fix: '--cap xbzrle (with a cache larger than the pages the guest rewrites)',
      how: 'pages sent again go as deltas against a cache of what was sent before',
      tradeOff: 'CPU on both hosts and cache memory on the source; no help when pages change completely (cache miss rate near 100%)',
    });
  }
  return fixes;
}

/**
 * Watches the samples of one migration and reports non-convergence once: when, over the last
 * N dirty syncs, the guest dirtied memory about as fast as the link sent it, or the RAM left
 * after a sync did not shrink. With auto-converge on, it waits until the throttle has been at
 * its maximum for that many syncs (auto-converge is still working until then).
 */
export class ConvergenceWatch {
  private readonly samples: SyncSample[] = [];
  private reported = false;
  private readonly syncs: number;
  private readonly ratio: number;
  private readonly shrink: number;

  constructor(private readonly options: ConvergenceOptions) {
    this.syncs = Math.max(2, options.syncs ?? 5);
    this.ratio = options.ratio ?? 0.9;
    this.shrink = options.shrink ?? 0.9;
  }

  /** The sync samples kept so far. */
  get syncSamples(): readonly SyncSample[] {
    return this.samples;
  }

  /** Feeds one progress sample; returns the finding the first time there is one. */
  observe(progress: MigrationProgress): NonConvergence | undefined {
    if (this.reported || progress.status !== 'active') return undefined;
    const sync = progress.dirtySyncCount;
    // Sync 1 ends the first full pass over RAM; only the passes after it show the dirty rate.
    if (sync === undefined || sync < 2 || (this.samples.at(-1)?.sync ?? 0) >= sync) return undefined;
    if (progress.remainingBytes === undefined || progress.dirtyBytesPerSecond === undefined || progress.throughputBytesPerSecond === undefined) return undefined;
    this.samples.push({
      sync,
      remainingBytes: progress.remainingBytes,
      dirtyBytesPerSecond: progress.dirtyBytesPerSecond,
      throughputBytesPerSecond: progress.throughputBytesPerSecond,
      expectedDowntimeMs: progress.expectedDowntimeMs,
      cpuThrottlePercentage: progress.cpuThrottlePercentage,
    });
    const finding = this.judge();
    if (finding !== undefined) this.reported = true;
    return finding;
  }

  private judge(): NonConvergence | undefined {
    const recent = this.samples.slice(-this.syncs);
    if (recent.length < this.syncs) return undefined;
    // auto-converge is still at work until it has throttled at its maximum for the whole window.
    if (this.options.capabilities.includes('auto-converge') && recent.some((s) => (s.cpuThrottlePercentage ?? 0) < MAX_THROTTLE)) return undefined;
    const last = recent[recent.length - 1] as SyncSample;
    const first = recent[0] as SyncSample;
    // What fits in the downtime limit is sent at the switch-over: a small remainder is not a stall.
    const fitsInDowntime = last.throughputBytesPerSecond * ((this.options.downtimeLimitMs ?? 300) / 1000);
    if (last.remainingBytes <= fitsInDowntime) return undefined;
    const fixes = () =>
      convergenceFixes(this.options.capabilities, {
        dirtyBytesPerSecond: last.dirtyBytesPerSecond,
        expectedDowntimeMs: last.expectedDowntimeMs,
        downtimeLimitMs: this.options.downtimeLimitMs,
        maxBandwidthBytesPerSecond: this.options.maxBandwidthBytesPerSecond,
      });
    // All but one sync of the window (the dirty rate is measured over the pass before, so one may lag).
    const fast = recent.filter((s) => s.dirtyBytesPerSecond >= this.ratio * s.throughputBytesPerSecond).length;
    if (fast >= recent.length - 1 && last.dirtyBytesPerSecond >= this.ratio * last.throughputBytesPerSecond) {
      return {
        syncs: recent,
        reason: 'dirty-rate',
        message:
          `The migration does not converge: over the last ${recent.length} dirty syncs the guest dirtied ` +
          `${formatSize(last.dirtyBytesPerSecond)}/s while ${formatSize(last.throughputBytesPerSecond)}/s went over the link, ` +
          `so ${formatSize(last.remainingBytes)} is left after every pass.`,
        fixes: fixes(),
      };
    }
    if (last.remainingBytes >= this.shrink * first.remainingBytes) {
      return {
        syncs: recent,
        reason: 'remaining-not-shrinking',
        message:
          `The migration does not converge: after ${recent.length} dirty syncs ${formatSize(last.remainingBytes)} is still left ` +
          `(${formatSize(first.remainingBytes)} ${recent.length - 1} syncs ago); the guest dirties ${formatSize(last.dirtyBytesPerSecond)}/s.`,
        fixes: fixes(),
      };
    }
    return undefined;
  }
}
