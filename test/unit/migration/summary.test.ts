import { describe, expect, it } from 'vitest';
import { formatDiskCopyLine, formatDuration, formatNonConvergence, formatProgressLine, formatSummary } from '../../../extension/core/migration/format';
import { ConvergenceWatch } from '../../../extension/core/migration/convergence';
import { parseMigrationInfo } from '../../../extension/core/migration/progress';
import { summarize, type SummaryFacts } from '../../../extension/core/migration/summary';
import { captured, queryMigrateReplies } from './fixtures';

const facts: SummaryFacts = {
  vm: 'vm1',
  migration: undefined,
  from: { host: 'local' },
  to: { host: 'lab-b' },
  uri: 'tcp:10.231.7.12:49152',
  status: 'completed',
  error: undefined,
  phase: 'done',
  startedAt: '2026-11-25T23:18:50.000Z',
  wallTimeMs: 912,
  settings: { capabilities: [], maxBandwidthBytesPerSecond: 134217728, downtimeLimitMs: 300, xbzrleCacheBytes: undefined, multifdChannels: undefined },
  phases: { begin: 30, prepare: 60, perform: 690, finish: 20, confirm: 10 },
  switchedToPostcopy: false,
  maxCpuThrottlePercentage: undefined,
  nonConvergence: undefined,
  qemu: { source: 'QEMU emulator version 7.2.22', destination: 'QEMU emulator version 7.2.22' },
  ssh: { host: '127.0.0.1', port: 40123 },
};

describe('migration summary', () => {
  it("holds QEMU's measurements of the completed migration and the settings used", () => {
    const last = parseMigrationInfo(captured('qemu-7.2-idle.jsonl').at(-1)?.final ?? null);
    const summary = summarize(facts, last);
    expect(summary).toMatchObject({
      status: 'completed',
      totalTimeMs: 674,
      downtimeMs: 64,
      setupTimeMs: 1,
      ram: { totalBytes: 537665536, transferredBytes: 102868884, remainingBytes: 0, normalBytes: 24832 * 4096, pageSize: 4096 },
      pages: { normal: 24832, duplicate: 106465, skipped: 0 },
      dirtySyncCount: 3,
      settings: { maxBandwidthBytesPerSecond: 134217728 },
    });
    expect(summary.throughputBytesPerSecond).toBeCloseTo((102868884 * 1000) / 674, 3);
  });

  it('is written for people in a few lines', () => {
    const summary = summarize(facts, parseMigrationInfo(captured('qemu-7.2-idle.jsonl').at(-1)?.final ?? null));
    expect(formatSummary(summary)).toBe(
      [
        'vm1 migrated from local to lab-b in 912 ms.',
        '  QEMU: 674 ms total, 64 ms downtime, 1 ms setup.',
        '  RAM: 98.1M sent of 513M (24832 pages whole, 106465 zero pages), 146M/s, 3 dirty syncs.',
        '  Settings: capabilities none; max-bandwidth 128M/s; downtime-limit 300 ms.',
        '  SSH: root@127.0.0.1 -p 40123 on lab-b.',
      ].join('\n'),
    );
  });

  it('says where a failed one stopped, without measurements when migrate never ran', () => {
    const failed = summarize({ ...facts, status: 'failed', phase: 'prepare', error: 'no', ssh: undefined }, undefined);
    expect(failed.totalTimeMs).toBeUndefined();
    expect(formatSummary(failed)).toBe('vm1 did not migrate from local to lab-b (failed in prepare; rolled back).\n  Settings: capabilities none; max-bandwidth 128M/s; downtime-limit 300 ms.');
  });

  it("says how a disk guest's disk went, and the copy's progress in a line", () => {
    const copied = summarize({ ...facts, status: 'failed', phase: 'copy', error: 'no', ssh: undefined, disk: { storage: 'copy', sync: 'top', copiedBytes: 78643200, copyMs: 2922 } }, undefined);
    expect(formatSummary(copied).split('\n')[1]).toBe('  Disk: copied its overlay (the base image is on both hosts), 75M in 2.9 s before memory.');
    const whole = summarize({ ...facts, status: 'failed', phase: 'copy', error: 'no', ssh: undefined, disk: { storage: 'copy', sync: 'full' } }, undefined);
    expect(formatSummary(whole).split('\n')[1]).toBe('  Disk: copied the whole disk before memory.');
    const shared = summarize({ ...facts, status: 'failed', phase: 'prepare', error: 'no', ssh: undefined, disk: { storage: 'shared' } }, undefined);
    expect(formatSummary(shared).split('\n')[1]).toBe('  Disk: shared storage (the destination opened the same file).');
    expect(formatDiskCopyLine('deb', { copiedBytes: 3 * 1048576, totalBytes: 12 * 1048576, ready: false })).toBe('deb: copy 3M of 12M (25%)');
    expect(formatDiskCopyLine('deb', { copiedBytes: 12 * 1048576, totalBytes: 12 * 1048576, ready: true })).toBe('deb: copy 12M of 12M (100%), in step');
    expect(formatDiskCopyLine('deb', { copiedBytes: 0, totalBytes: 0, ready: false })).toBe('deb: copy 0 of 0');
  });

  it('formats progress lines and non-convergence with its fixes', () => {
    const replies = queryMigrateReplies('qemu-7.2-dirty-auto-converge.jsonl').map(parseMigrationInfo);
    const throttled = replies.find((p) => p.cpuThrottlePercentage === 30);
    expect(throttled === undefined ? '' : formatProgressLine('vm1', throttled)).toMatch(/^vm1: active {2}[\d.]+ s {2}sent [\d.]+[MG] {2}remaining [\d.]+M {2}dirty 1\d\dM\/s {2}link 12\dM\/s {2}sync \d+ {2}throttle 30% {2}expected downtime \d+ ms$/);
    const watch = new ConvergenceWatch({ capabilities: [], downtimeLimitMs: 300, maxBandwidthBytesPerSecond: undefined });
    const finding = queryMigrateReplies('qemu-7.2-dirty-default-cancelled.jsonl').map((r) => watch.observe(parseMigrationInfo(r))).find((f) => f !== undefined);
    const text = finding === undefined ? '' : formatNonConvergence(finding);
    expect(text).toMatch(/^The migration does not converge: .*\nFixes, and what they cost:\n {2}- --cap auto-converge: QEMU throttles .*Trade-off: the guest runs slower/);
    expect(formatDuration(36_219)).toBe('36.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
