import { describe, expect, it } from 'vitest';
import { ConvergenceWatch, convergenceFixes, type ConvergenceOptions, type NonConvergence } from '../../../extension/core/migration/convergence';
import { parseMigrationInfo, type MigrationProgress } from '../../../extension/core/migration/progress';
import { queryMigrateReplies } from './fixtures';

function replay(file: string, options: ConvergenceOptions): { finding: NonConvergence | undefined; at: MigrationProgress | undefined; count: number } {
  const watch = new ConvergenceWatch(options);
  let count = 0;
  for (const reply of queryMigrateReplies(file)) {
    const progress = parseMigrationInfo(reply);
    const finding = watch.observe(progress);
    if (finding !== undefined) {
      count += 1;
      return { finding, at: progress, count };
    }
  }
  return { finding: undefined, at: undefined, count };
}

const defaults: ConvergenceOptions = { capabilities: [], downtimeLimitMs: 300, maxBandwidthBytesPerSecond: 134217728 };

describe('non-convergence', () => {
  it('is found in a guest that dirties memory as fast as the link sends it, within 5 dirty syncs of it', () => {
    const { finding, at } = replay('qemu-7.2-dirty-default-cancelled.jsonl', defaults);
    expect(finding?.reason).toBe('dirty-rate');
    // The dirty rate reached 90% of the link's at sync 4 (sync 2 and 3 measured the pass before).
    expect(finding?.syncs.map((s) => s.sync)).toEqual([3, 4, 5, 6, 7]);
    expect(at?.dirtySyncCount).toBe(7);
    // Found after ~5.6 s of a migration that ran 15 s before it was cancelled by hand.
    expect(at?.elapsedMs).toBeLessThan(6_500);
    expect(finding?.message).toMatch(/dirtied 1\d\dM\/s while 1\d\dM\/s went over the link/);
  });

  it('offers the fixes with their trade-offs, and not those already in use', () => {
    const { finding } = replay('qemu-7.2-dirty-default-cancelled.jsonl', defaults);
    const fixes = finding?.fixes.map((f) => f.fix) ?? [];
    expect(fixes).toEqual([
      '--cap auto-converge',
      '--cap postcopy (and switch once the first pass is done)',
      expect.stringMatching(/^--max-bandwidth \d+M \(or more\)$/),
      expect.stringMatching(/^--downtime-limit \d+$/),
      '--cap xbzrle (with a cache larger than the pages the guest rewrites)',
    ]);
    for (const fix of finding?.fixes ?? []) expect(fix.tradeOff.length).toBeGreaterThan(20);
    const withPostcopy = convergenceFixes(['postcopy', 'xbzrle'], { dirtyBytesPerSecond: 1e8, expectedDowntimeMs: 1000, downtimeLimitMs: 300, maxBandwidthBytesPerSecond: undefined });
    expect(withPostcopy.map((f) => f.fix)).toContain('switch to postcopy now (migrate-start-postcopy)');
    expect(withPostcopy.map((f) => f.fix).join()).not.toMatch(/--cap (postcopy|xbzrle)/);
  });

  it('is reported once', () => {
    const watch = new ConvergenceWatch(defaults);
    const findings = queryMigrateReplies('qemu-7.2-dirty-default-cancelled.jsonl').map((r) => watch.observe(parseMigrationInfo(r))).filter((f) => f !== undefined);
    expect(findings).toHaveLength(1);
  });

  it('is not reported for an idle guest', () => {
    expect(replay('qemu-7.2-idle.jsonl', defaults).finding).toBeUndefined();
    expect(replay('qemu-7.2-idle-multifd.jsonl', { ...defaults, capabilities: ['multifd'] }).finding).toBeUndefined();
  });

  it('gives auto-converge time while it still raises the throttle', () => {
    expect(replay('qemu-7.2-dirty-auto-converge.jsonl', { ...defaults, capabilities: ['auto-converge'] }).finding).toBeUndefined();
  });

  it('is reported for xbzrle whose cache is too small for the working set', () => {
    const { finding } = replay('qemu-7.2-dirty-xbzrle-head.jsonl', { ...defaults, capabilities: ['xbzrle'] });
    expect(finding).toBeDefined();
    expect(finding?.fixes.map((f) => f.fix).join()).not.toMatch(/xbzrle/);
  });

  it('sees remaining RAM that does not shrink even when the dirty rate is below the throughput', () => {
    const watch = new ConvergenceWatch({ ...defaults, syncs: 3 });
    const sample = (sync: number, remaining: number): MigrationProgress =>
      parseMigrationInfo({ status: 'active', 'expected-downtime': 900, ram: { 'dirty-sync-count': sync, remaining, 'dirty-pages-rate': 10_000, 'page-size': 4096, mbps: 1000 } });
    expect(watch.observe(sample(1, 500e6))).toBeUndefined();
    expect(watch.observe(sample(2, 100e6))).toBeUndefined();
    expect(watch.observe(sample(2, 50e6))).toBeUndefined(); // same sync: ignored
    expect(watch.observe(sample(3, 98e6))).toBeUndefined();
    expect(watch.observe(sample(4, 99e6))?.reason).toBe('remaining-not-shrinking');
  });

  it('is not reported while what is left fits in the downtime limit', () => {
    const watch = new ConvergenceWatch({ ...defaults, syncs: 2 });
    const small = (sync: number): MigrationProgress =>
      parseMigrationInfo({ status: 'active', ram: { 'dirty-sync-count': sync, remaining: 1e6, 'dirty-pages-rate': 40_000, 'page-size': 4096, mbps: 1000 } });
    for (let sync = 2; sync < 10; sync += 1) expect(watch.observe(small(sync))).toBeUndefined();
  });
});
