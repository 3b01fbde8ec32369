import { describe, expect, it } from 'vitest';
import { compareCells, experimentRuns, measureGroups, summarizeRun } from '../../../extension/core/measuring/experiments/summary';
import { chartsOf, reportInput } from '../../../extension/core/measuring/reports/report-input';
import { renderCsv } from '../../../extension/core/measuring/reports/csv';
import { checkResultRecord } from '../../../extension/core/measuring/results/record';
import type { ResultRecord } from '../../../extension/core/measuring/results/record';

let clock = 0;
function record(runId: string, cell: string, value: number, meta: { accel?: string; nic?: string; target?: 'host' | 'guest'; direction?: 'to-guest' | 'from-guest' } = {}): ResultRecord {
  clock += 1;
  const benchmark = cell.split('/').filter((part) => !part.endsWith('-guest')).at(-1) as ResultRecord['benchmark'];
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
    metadata: { runId, cell, accel: meta.accel, nic: meta.nic, matrix: meta.accel === undefined ? undefined : { accel: meta.accel, nic: meta.nic ?? '' }, ...(meta.direction === undefined ? {} : { direction: meta.direction }) },
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

describe('iperf directions', () => {
  const tcg = { accel: 'tcg', nic: 'virtio' } as const;
  const e1000 = { accel: 'tcg', nic: 'e1000' } as const;
  // An older run (no direction recorded: the host sent) and a run in both directions.
  const directed = [
    ...[900, 910].map((v) => record('old', 'guest/tcg/virtio/iperf3', v, tcg)),
    ...[20e9, 21e9].map((v) => record('new', 'host/iperf3', v, { target: 'host' })),
    ...[1e9, 1.1e9].map((v) => record('new', 'guest/tcg/virtio/iperf3/to-guest', v, { ...tcg, direction: 'to-guest' })),
    ...[2e9, 2.2e9].map((v) => record('new', 'guest/tcg/virtio/iperf3/from-guest', v, { ...tcg, direction: 'from-guest' })),
    ...[0.5e9, 0.55e9].map((v) => record('new', 'guest/tcg/e1000/iperf3/from-guest', v, { ...e1000, direction: 'from-guest' })),
  ];

  it('reads a record from before directions as host → guest, in the same cell as new ones', () => {
    const [cell] = summarizeRun(directed, 'e', 'old');
    expect(cell).toMatchObject({ cell: 'guest/tcg/virtio/iperf3/to-guest', direction: 'to-guest' });
  });

  it('compares configurations only within one direction, and says which', () => {
    const comparisons = compareCells(summarizeRun(directed, 'e', 'new'));
    const guestOnly = comparisons.filter((c) => c.kind !== 'host-vs-guest');
    expect(guestOnly.map((c) => [c.benchmark, c.label])).toEqual([['iperf3 (guest → host)', 'virtio 4.0× faster than e1000']]);
    expect(comparisons.filter((c) => c.kind === 'host-vs-guest').map((c) => c.label)).toContain('host 10.0× faster than guest (tcg, e1000, guest → host)'.replace('10.0', (20.5e9 / 0.525e9).toFixed(1)));
  });

  it("charts each direction apart, with the host's loopback baseline in both", () => {
    const groups = measureGroups(summarizeRun(directed, 'e', 'new'));
    expect(groups.map((g) => [g.measure, g.cells.map((c) => c.cell)])).toEqual([
      ['iperf3 (host → guest)', ['host/iperf3', 'guest/tcg/virtio/iperf3/to-guest']],
      ['iperf3 (guest → host)', ['host/iperf3', 'guest/tcg/virtio/iperf3/from-guest', 'guest/tcg/e1000/iperf3/from-guest']],
    ]);
    const charts = chartsOf(reportInput(directed, 'e', '/lab/qemu-lab.yaml', undefined, 'new'));
    expect(charts.map((c) => [c.chart.title, c.chart.bars.map((b) => b.label)])).toEqual([
      ['iperf3 (host → guest): events per second', ['host', 'guest · tcg · virtio · host → guest']],
      ['iperf3 (guest → host): events per second', ['host', 'guest · tcg · virtio · guest → host', 'guest · tcg · e1000 · guest → host']],
    ]);
    expect(charts[1]?.chart.notes).toEqual(['virtio 4.0× faster than e1000']);
  });

  it('writes the direction in the CSV, and refuses a stored record with an unknown one', () => {
    const rows = renderCsv(directed).trim().split('\n');
    const column = rows[0]?.split(',').indexOf('direction') ?? -1;
    expect(rows.slice(1).map((row) => row.split(',')[column])).toEqual(['to-guest', 'to-guest', '', '', 'to-guest', 'to-guest', 'from-guest', 'from-guest', 'from-guest', 'from-guest']);
    const stored = JSON.parse(JSON.stringify(directed[2])) as { metadata: Record<string, unknown> };
    stored.metadata.direction = 'sideways';
    expect(checkResultRecord(stored)).toMatchObject({ ok: false, problem: 'unknown direction "sideways"' });
  });
});
