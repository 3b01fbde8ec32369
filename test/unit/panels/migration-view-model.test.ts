import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import type { MigrationRecord } from '../../../extension/core/migration/store';
import { buildMigrationViewModel, duringSeries, progressSeries, summaryFacts } from '../../../extension/presentation/panels/migration/view-model';
import { isMigrationViewModel } from '../../../webview/migration/model';

// A real record: vm1 migrated local → local with --during sysbench-cpu@guest,iperf3@guest,sysbench-memory@host.
const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/during/migration-record-during.json'), 'utf8')) as MigrationRecord;
const timeline = record.timeline as MigrationTimeline;
const header = { vm: 'vm1', from: 'local', to: 'local (same host)' };

describe('migration panel view model', () => {
  const model = buildMigrationViewModel(header, { state: 'completed', timeline, summary: record.summary });

  it('is well-formed, also after a JSON round trip (what crosses to the webview)', () => {
    expect(isMigrationViewModel(model)).toBe(true);
    expect(isMigrationViewModel(JSON.parse(JSON.stringify(model)))).toBe(true);
    expect(model).toMatchObject({ title: 'vm1: local → local (same host)', state: 'completed', cancellable: false });
    expect(model.status).toMatch(/^Completed in 3\.4 s, \d+ ms downtime, .* sent\.$/);
  });

  it('charts the quantities, not a percentage: remaining MiB falls to 0, passes count up', () => {
    const [remaining, dirty, throughput, syncs] = model.progress;
    expect(remaining?.id).toBe('remaining');
    expect(remaining?.points.at(-1)?.y).toBe(0);
    expect(Math.max(...(remaining?.points.map((p) => p.y) ?? []))).toBeGreaterThan(300);
    expect(dirty?.axis).toBe('mibPerSecond');
    expect(Math.max(...(throughput?.points.map((p) => p.y) ?? []))).toBeGreaterThan(20);
    const passes = syncs?.points.map((p) => p.y) ?? [];
    expect(passes).toEqual([...passes].sort((a, b) => a - b));
  });

  it('puts everything on one axis: phases, the switch-over, the break of the guest iperf3 stream, the windows', () => {
    expect(model.markers.filter((m) => m.kind === 'phase').map((m) => m.label)).toEqual(['begin', 'prepare', 'perform', 'finish', 'confirm', 'done']);
    const switchover = model.markers.find((m) => m.kind === 'switchover');
    expect(switchover?.x).toBe((timeline.switchoverMs ?? 0) / 1000);
    expect(model.markers.find((m) => m.kind === 'break')?.label).toBe('iperf3@guest broken');
    expect(model.bands.map((b) => b.label)).toEqual(['baseline (no migration)', 'migration']);
    expect(model.xMin).toBeLessThanOrEqual(model.bands[0]?.from ?? 0);
    expect(model.xMax).toBeGreaterThanOrEqual(model.bands[1]?.to ?? Infinity);
    for (const series of [...model.progress, ...model.during]) for (const p of series.points) expect(p.x >= model.xMin && p.x <= model.xMax).toBe(true);
  });

  it('shows the benchmarks as % of their baseline median, with their values in MiB/s, Mbit/s or events/s', () => {
    expect(model.during.map((s) => s.label)).toEqual([
      'sysbench-cpu@guest · baseline',
      'iperf3@guest · baseline',
      'sysbench-memory@host · baseline',
      'sysbench-cpu@guest · during',
      'iperf3@guest · during',
      'sysbench-memory@host · during',
    ]);
    expect(model.during.map((s) => s.unit)).toEqual(['events/s', 'Mbit/s', 'MiB/s', 'events/s', 'Mbit/s', 'MiB/s']);
    const baseline = model.during[0]?.points.map((p) => p.y).sort((a, b) => a - b) ?? [];
    // The median of the baseline is 100 %.
    const middle = baseline.length % 2 === 1 ? (baseline[(baseline.length - 1) / 2] ?? 0) : ((baseline[baseline.length / 2 - 1] ?? 0) + (baseline[baseline.length / 2] ?? 0)) / 2;
    expect(middle).toBeCloseTo(100, 0);
    expect(model.duringRows.map((r) => r.label)).toEqual(['sysbench-cpu@guest on local', 'iperf3@guest on local', 'sysbench-memory@host on local']);
    expect(model.duringRows[1]?.notes).toMatch(/^broken at \d+\.\d s: iperf3: control socket has closed unexpectedly/);
    expect(model.duringRows[0]?.change).toMatch(/^[+−]\d+%$/);
  });

  it('lists the summary: times, RAM, pages, throughput, passes, settings', () => {
    const names = model.facts.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Total time (QEMU)', 'Downtime', 'Setup time', 'RAM transferred', 'Pages', 'Throughput', 'Dirty-sync passes', 'Settings', 'SSH now']));
    expect(model.facts.find((f) => f.name === 'Settings')?.value).toMatch(/capabilities none; max-bandwidth 32M\/s; downtime-limit 300 ms/);
    expect(summaryFacts({ ...record.summary, maxCpuThrottlePercentage: 99 }).find((f) => f.name.startsWith('vCPU throttle'))?.value).toBe('up to 99%');
    expect(summaryFacts(record.summary).find((f) => f.name === 'Disk')).toBeUndefined();
    const disk = (summary: MigrationRecord['summary']) => summaryFacts(summary).find((f) => f.name === 'Disk')?.value;
    expect(disk({ ...record.summary, disk: { storage: 'copy', sync: 'top', copiedBytes: 78643200, copyMs: 2922 } })).toBe('copied overlay only (base on both hosts), 75M in 2.9 s');
    expect(disk({ ...record.summary, disk: { storage: 'copy', sync: 'full' } })).toBe('copied whole');
    expect(disk({ ...record.summary, disk: { storage: 'shared' } })).toBe('shared storage: the destination opened the same file');
    const stuck = summaryFacts({
      ...record.summary,
      status: 'cancelled',
      nonConvergence: { syncs: [], reason: 'dirty-rate', message: 'The migration does not converge.', fixes: [{ fix: '--cap auto-converge', how: 'QEMU throttles the vCPUs', tradeOff: 'the guest runs slower' }] },
    });
    expect(stuck.filter((f) => /converge/.test(f.name))).toEqual([
      { name: 'Did not converge', value: 'The migration does not converge.' },
      { name: 'Fix: --cap auto-converge', value: 'QEMU throttles the vCPUs. Trade-off: the guest runs slower.' },
    ]);
  });

  it('while it runs: the last phase and sample in words, Cancel offered, no summary yet', () => {
    const live: MigrationTimeline = { ...timeline, progress: timeline.progress.slice(0, 3), phases: timeline.phases.slice(0, 3), streams: [], switchoverMs: undefined, migration: undefined };
    const running = buildMigrationViewModel(header, { state: 'running', timeline: live });
    expect(running.cancellable).toBe(true);
    expect(running.facts).toEqual([]);
    expect(running.status).toMatch(/^perform · active, .* sent, .* remaining, pass \d+$/);
    const empty = buildMigrationViewModel(header, { state: 'running', timeline: { ...live, progress: [], phases: [], baseline: undefined, during: undefined, plan: undefined } });
    expect(empty).toMatchObject({ status: 'starting…', xMin: 0, xMax: 1 });
  });

  it('says a failure rolled back', () => {
    const failed = buildMigrationViewModel(header, { state: 'failed', timeline, summary: { ...record.summary, status: 'failed', phase: 'perform' }, error: 'The migration failed in perform: boom' });
    expect(failed).toMatchObject({ state: 'failed', error: 'The migration failed in perform: boom', cancellable: false });
    expect(failed.status).toBe('Failed in perform; rolled back: the VM runs on local as before.');
  });

  it('skips quantities QEMU did not report, never charting NaN', () => {
    const series = progressSeries([{ t: 500, status: 'setup', remainingBytes: undefined, transferredBytes: undefined, dirtyBytesPerSecond: Number.NaN, dirtyPagesPerSecond: undefined, throughputBytesPerSecond: undefined, dirtySyncCount: undefined, cpuThrottlePercentage: undefined, expectedDowntimeMs: undefined }]);
    expect(series.every((s) => s.points.length === 0)).toBe(true);
    expect(duringSeries({ ...timeline, streams: [] })).toEqual([]);
  });
});
