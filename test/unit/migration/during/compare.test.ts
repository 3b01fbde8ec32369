import { describe, expect, it } from 'vitest';
import { compareDuring, windowOf } from '../../../../extension/core/migration/during/compare';
import { formatDuring } from '../../../../extension/core/migration/during/format';
import { TimelineRecorder } from '../../../../extension/core/migration/during/recorder';
import type { DuringStream, MigrationTimeline } from '../../../../extension/core/migration/during/timeline';
import type { MigrationProgress } from '../../../../extension/core/migration/progress';

const stream = (run: 'baseline' | 'during', values: [number, number][], ends: DuringStream['ends'] = []): DuringStream => ({
  benchmark: 'sysbench-cpu',
  target: 'host',
  host: 'local',
  run,
  unit: 'events/s',
  samples: values.map(([t, value]) => ({ t, value })),
  ends,
});

const timeline = (streams: DuringStream[]): MigrationTimeline => ({
  schema: 1,
  origin: '2026-01-01T00:00:00.000Z',
  phases: [],
  progress: [],
  migration: { startMs: 13_000, endMs: 17_000 },
  switchoverMs: 15_500,
  baseline: { startMs: 0, endMs: 10_000 },
  during: { startMs: 10_000, endMs: 30_000 },
  plan: { seconds: 10, leadSeconds: 3, tailSeconds: 5 },
  streams,
});

describe('during comparison', () => {
  it('puts samples before, while and after migrating', () => {
    const t = timeline([]);
    expect(windowOf(12_000, t)).toBe('before');
    expect(windowOf(13_000, t)).toBe('before');
    expect(windowOf(14_000, t)).toBe('migrating');
    expect(windowOf(16_400, t)).toBe('migrating');
    expect(windowOf(16_600, t)).toBe('after');
    expect(windowOf(1, { migration: undefined, switchoverMs: undefined })).toBeUndefined();
  });

  it('gives medians by window and the ratio to the baseline', () => {
    const t = timeline([
      stream('baseline', [[1000, 4000], [2000, 4400], [3000, 4200]]),
      stream('during', [[11_000, 4300], [12_000, 4100], [14_000, 2000], [15_000, 2200], [17_000, 4000]], [{ t: 20_000, kind: 'broken', reason: 'x' }]),
    ]);
    const [c] = compareDuring(t);
    expect(c).toMatchObject({ label: 'sysbench-cpu@host', baseline: 4200, before: 4200, migrating: 2100, after: 4000, counts: { baseline: 3, before: 2, migrating: 2, after: 1 } });
    expect(c?.migratingRatio).toBeCloseTo(0.5);
    const text = formatDuring(t) ?? '';
    expect(text).toMatch(/sysbench-cpu@host on local: baseline 4200 events\/s · before 4200 events\/s · migrating 2100 events\/s \(−50%\) · after 4000 events\/s; stream broken at 20\.0 s \(x\)/);
    expect(formatDuring(timeline([]))).toBeUndefined();
  });
});

describe('timeline recorder', () => {
  it('stamps phases and samples on its axis and finds the switch-over', () => {
    let clock = 1_000_000;
    const recorder = new TimelineRecorder(() => clock);
    clock += 100;
    recorder.phase('perform');
    clock += 400;
    recorder.sample({ status: 'active', remainingBytes: 10 } as MigrationProgress);
    clock += 500;
    recorder.sample({ status: 'completed', remainingBytes: 0 } as MigrationProgress);
    clock += 10;
    recorder.phase('finish');
    const t = recorder.timeline();
    expect(t.phases).toEqual([{ phase: 'perform', t: 100 }, { phase: 'finish', t: 1010 }]);
    expect(t.progress.map((p) => [p.t, p.status, p.remainingBytes])).toEqual([[500, 'active', 10], [1000, 'completed', 0]]);
    expect(t.switchoverMs).toBe(1000);
    expect(t.origin).toBe(new Date(1_000_000).toISOString());
  });

  it('thins a long series but keeps status changes and the last point', () => {
    let clock = 0;
    const recorder = new TimelineRecorder(() => clock);
    for (let i = 0; i < 5000; i += 1) {
      clock += 500;
      recorder.sample({ status: i === 4321 ? 'device' : i > 4321 ? 'completed' : 'active' } as MigrationProgress);
    }
    const points = recorder.timeline().progress;
    expect(points.length).toBeLessThanOrEqual(2_010);
    expect(points.some((p) => p.status === 'device')).toBe(true);
    expect(points.at(-1)?.t).toBe(2_500_000);
  });
});
