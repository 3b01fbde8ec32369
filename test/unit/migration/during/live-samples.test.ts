import { describe, expect, it } from 'vitest';
import { LiveDuringSamples } from '../../../../extension/core/migration/during/live-samples';
import type { MigrationTimeline } from '../../../../extension/core/migration/during/timeline';
import { buildMigrationViewModel } from '../../../../extension/presentation/panels/migration/view-model';

const cpuGuest = { benchmark: 'sysbench-cpu', target: 'guest' } as const;

describe('live --during samples', () => {
  it('gathers samples into streams by benchmark, place and run, in time order', () => {
    const live = new LiveDuringSamples();
    live.add(cpuGuest, 'baseline', { t: 2000, value: 200 });
    live.add({ benchmark: 'iperf3', target: 'guest' }, 'baseline', { t: 1500, value: 1e8 });
    live.add(cpuGuest, 'baseline', { t: 1000, value: 100 });
    live.add(cpuGuest, 'during', { t: 9000, value: 50 });
    expect(live.streams()).toEqual([
      { benchmark: 'sysbench-cpu', target: 'guest', host: '', run: 'baseline', unit: 'events/s', samples: [{ t: 1000, value: 100 }, { t: 2000, value: 200 }], ends: [] },
      { benchmark: 'iperf3', target: 'guest', host: '', run: 'baseline', unit: 'bits/s', samples: [{ t: 1500, value: 1e8 }], ends: [] },
      { benchmark: 'sysbench-cpu', target: 'guest', host: '', run: 'during', unit: 'events/s', samples: [{ t: 9000, value: 50 }], ends: [] },
    ]);
  });

  it('lets the panel say what the run is doing before the migration starts', () => {
    const live = new LiveDuringSamples();
    live.add(cpuGuest, 'baseline', { t: 1000, value: 100 });
    const timeline: MigrationTimeline = {
      schema: 1, origin: '2026-01-01T00:00:00.000Z', phases: [], progress: [], migration: undefined, switchoverMs: undefined,
      baseline: undefined, during: undefined, plan: { seconds: 20, leadSeconds: 3, tailSeconds: 5 }, streams: live.streams(),
    };
    const header = { vm: 'vm1', from: 'local', to: 'lab-b' };
    const inBaseline = buildMigrationViewModel(header, { state: 'running', timeline });
    expect(inBaseline.status).toBe('Baseline: the benchmarks without migration (20 s)…');
    expect(inBaseline.during[0]?.points).toEqual([{ x: 1, y: 100, value: 100 }]);
    expect(inBaseline.duringRows[0]?.label).toBe('sysbench-cpu@guest');
    const after = buildMigrationViewModel(header, { state: 'running', timeline: { ...timeline, baseline: { startMs: 0, endMs: 20_000 } } });
    expect(after.status).toBe('The benchmarks run again; the migration starts 3 s in…');
  });
});
