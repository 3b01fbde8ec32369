import { describe, expect, it } from 'vitest';
import { compareCells, experimentRuns, summarizeRun } from '../../../extension/core/measuring/experiments/summary';
import type { ResultRecord } from '../../../extension/core/measuring/results/record';

let clock = 0;
function record(runId: string, cell: string, value: number, meta: { accel?: string; nic?: string; target?: 'host' | 'guest' } = {}): ResultRecord {
  clock += 1;
  const benchmark = cell.split('/').at(-1) as ResultRecord['benchmark'];
  return {
    id: `r${clock}`,
    schema: 1,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
    experiment: 'e',
    benchmark,
    target: meta.target ?? 'guest',
    host: 'local',
    metric: { name: 'events per second', unit: 'events/s', value, higherIsBetter: true },
    raw: { benchmark } as unknown as ResultRecord['raw'],
    metadata: { runId, cell, accel: meta.accel, nic: meta.nic, matrix: meta.accel === undefined ? undefined : { accel: meta.accel, nic: meta.nic ?? '' } },
  };
}

const old = [record('run1', 'guest/kvm/virtio/sysbench-cpu', 1)];
const records = [
  ...old,
  ...[1000, 1010, 990, 1005].map((v) => record('run2', 'host/sysbench-cpu', v, { target: 'host' })),
  ...[960, 965, 955].map((v) => record('run2', 'guest/kvm/virtio/sysbench-cpu', v, { accel: 'kvm', nic: 'virtio' })),
  ...[100, 98, 102].map((v) => record('run2', 'guest/tcg/virtio/sysbench-cpu', v, { accel: 'tcg', nic: 'virtio' })),
  ...[101, 99, 100, 100, 250].map((v) => record('run2', 'guest/tcg/e1000/sysbench-cpu', v, { accel: 'tcg', nic: 'e1000' })),
];

describe('experiment summaries', () => {
  it('lists runs newest first', () => {
    expect(experimentRuns(records, 'e').map((r) => r.runId)).toEqual(['run2', 'run1']);
  });

  it('summarizes the newest run per cell and flags outliers without dropping them', () => {
    const cells = summarizeRun(records, 'e');
    expect(cells.map((c) => c.cell)).toEqual(['host/sysbench-cpu', 'guest/kvm/virtio/sysbench-cpu', 'guest/tcg/virtio/sysbench-cpu', 'guest/tcg/e1000/sysbench-cpu']);
    const kvm = cells.find((c) => c.cell === 'guest/kvm/virtio/sysbench-cpu');
    expect(kvm?.summary).toMatchObject({ count: 3, median: 960, min: 955, max: 965 });
    const e1000 = cells.find((c) => c.nic === 'e1000');
    expect(e1000?.summary.count).toBe(5);
    expect(e1000?.outliers).toEqual([4]);
  });

  it('writes the ratios a course report makes', () => {
    const labels = compareCells(summarizeRun(records, 'e')).map((c) => c.label);
    expect(labels).toContain('KVM 9.6× faster than TCG');
    expect(labels).toContain('host 1.0× faster than guest (kvm, virtio)');
    expect(labels).toContain('host 10.0× faster than guest (tcg, virtio)');
    expect(labels.some((l) => /e1000|virtio/.test(l) && !l.startsWith('host'))).toBe(true);
  });

  it('is empty for an experiment never run', () => {
    expect(summarizeRun(records, 'other')).toEqual([]);
  });
});
