import { describe, expect, it } from 'vitest';
import { isFinalStatus, parseMigrationInfo } from '../../../extension/core/migration/progress';
import { captured, queryMigrateReplies } from './fixtures';

describe('parseMigrationInfo on query-migrate replies captured from QEMU 7.2', () => {
  it('reads an active sample of an idle guest in plain units', () => {
    const active = queryMigrateReplies('qemu-7.2-idle.jsonl').map(parseMigrationInfo).find((p) => p.status === 'active');
    expect(active).toMatchObject({
      status: 'active',
      elapsedMs: 253,
      setupTimeMs: 1,
      expectedDowntimeMs: 300,
      totalBytes: 537665536,
      transferredBytes: 40270279,
      remainingBytes: 464973824,
      dirtyPagesPerSecond: 0,
      dirtySyncCount: 1,
      pageSize: 4096,
      normalPages: 9795,
      duplicatePages: 7952,
      downtimeMs: undefined,
    });
    // mbps is megabits per second: 1073.9376 Mbit/s = 134.24 MB/s.
    expect(active?.throughputBytesPerSecond).toBeCloseTo(134_242_200, 0);
  });

  it('reads the completed sample: total time, downtime, pages', () => {
    const done = parseMigrationInfo(captured('qemu-7.2-idle.jsonl').at(-1)?.final ?? null);
    expect(done).toMatchObject({ status: 'completed', elapsedMs: 674, downtimeMs: 64, setupTimeMs: 1, remainingBytes: 0, dirtySyncCount: 3, normalPages: 24832, duplicatePages: 106465 });
    expect(isFinalStatus(done.status)).toBe(true);
  });

  it('turns the dirty page rate into bytes per second with the page size', () => {
    const busy = queryMigrateReplies('qemu-7.2-dirty-default-cancelled.jsonl').map(parseMigrationInfo).at(-1);
    expect(busy?.dirtyPagesPerSecond).toBe(32627);
    expect(busy?.dirtyBytesPerSecond).toBe(32627 * 4096);
    expect(busy?.expectedDowntimeMs).toBe(1001);
  });

  it('reads the vCPU throttle of auto-converge and the xbzrle cache', () => {
    const throttled = queryMigrateReplies('qemu-7.2-dirty-auto-converge.jsonl').map(parseMigrationInfo);
    expect(throttled.some((p) => p.cpuThrottlePercentage === 20)).toBe(true);
    expect(Math.max(...throttled.map((p) => p.cpuThrottlePercentage ?? 0))).toBeGreaterThanOrEqual(90);
    const xbzrle = queryMigrateReplies('qemu-7.2-dirty-xbzrle-head.jsonl').map(parseMigrationInfo).at(-1)?.xbzrle;
    expect(xbzrle).toMatchObject({ cacheBytes: 67108864, cacheMissRate: 1, overflows: 0 });
  });

  it('reads postcopy: its status and the pages the destination asked for', () => {
    const samples = queryMigrateReplies('qemu-7.2-dirty-postcopy.jsonl').map(parseMigrationInfo);
    expect(samples.some((p) => p.status === 'postcopy-active')).toBe(true);
    const done = samples.at(-1);
    expect(done).toMatchObject({ status: 'completed', downtimeMs: 3, postcopyRequests: 365 });
  });

  it("keeps QEMU's reason when it failed", () => {
    expect(parseMigrationInfo(queryMigrateReplies('qemu-7.2-dirty-destination-killed.jsonl').at(-1) ?? null)).toMatchObject({
      status: 'failed',
      errorDescription: 'Unable to write to socket: Broken pipe',
      transferredBytes: undefined,
    });
    expect(parseMigrationInfo(queryMigrateReplies('qemu-7.2-refused.jsonl')[0] ?? null).errorDescription).toMatch(/Connection refused/);
  });

  it('reads multifd bytes', () => {
    const done = parseMigrationInfo(captured('qemu-7.2-idle-multifd.jsonl').at(-1)?.final ?? null);
    expect(done.multifdBytes).toBe(102620544);
  });

  it('reads anything else as status none without throwing', () => {
    expect(parseMigrationInfo(null).status).toBe('none');
    expect(parseMigrationInfo({}).status).toBe('none');
    expect(parseMigrationInfo({ status: 'setup' })).toMatchObject({ status: 'setup', transferredBytes: undefined });
    expect(parseMigrationInfo({ status: 'active', ram: { mbps: 'fast' } }).throughputBytesPerSecond).toBeUndefined();
  });
});
