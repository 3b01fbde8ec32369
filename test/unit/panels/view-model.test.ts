import { describe, expect, it } from 'vitest';
import { formatEta, notDoneOf, progressView } from '../../../extension/presentation/panels/results/progress-view';
import { comparisonsOf, formatValue } from '../../../extension/presentation/panels/results/run-view';
import { experimentNames, resolveSelection } from '../../../extension/presentation/panels/results/selection';
import { buildViewModel, formatStarted, type ViewModelInput } from '../../../extension/presentation/panels/results/view-model';
import { summarizeRun } from '../../../extension/core/measuring/experiments/summary';
import type { PlannedCell } from '../../../extension/core/measuring/experiments/plan';
import type { ResultRecord } from '../../../extension/core/measuring/results/record';
import { isResultsViewModel } from '../../../webview/results/model';
import { isToResultsWebview } from '../../../webview/results/protocol';
import { importedRecords, kvmVsTcgRun, runLogOf, runRecords, USER_NETWORK } from './experiment-records';

const LAB = '/labs/course/qemu-lab.yaml';

function input(records: readonly ResultRecord[], overrides: Partial<ViewModelInput> = {}): ViewModelInput {
  const labExperiments = overrides.labExperiments ?? ['kvm-vs-tcg'];
  return {
    labPath: LAB,
    labExperiments,
    records,
    problems: [],
    selection: resolveSelection(records, labExperiments, {}),
    runLog: undefined,
    ...overrides,
  };
}

const older = kvmVsTcgRun('run-1', '2026-01-04T10:00:00.000Z');
const newer = kvmVsTcgRun('run-2', '2026-01-05T14:03:00.000Z');
const both = [...older, ...newer];

describe('resolveSelection', () => {
  it('shows the newest run of the first experiment with results, following new runs', () => {
    expect(resolveSelection(both, ['empty', 'kvm-vs-tcg'], {})).toEqual({ experiment: 'kvm-vs-tcg', runId: 'run-2', followsLatest: true });
  });

  it('keeps a run picked by the user, not following', () => {
    expect(resolveSelection(both, ['kvm-vs-tcg'], { experiment: 'kvm-vs-tcg', runId: 'run-1' })).toEqual({ experiment: 'kvm-vs-tcg', runId: 'run-1', followsLatest: false });
  });

  it('falls back when the wish no longer exists: an unknown run, an unknown experiment', () => {
    expect(resolveSelection(both, ['kvm-vs-tcg'], { experiment: 'kvm-vs-tcg', runId: 'gone' })).toEqual({ experiment: 'kvm-vs-tcg', runId: 'run-2', followsLatest: true });
    expect(resolveSelection(both, ['kvm-vs-tcg'], { experiment: 'renamed' }).experiment).toBe('kvm-vs-tcg');
  });

  it('shows an experiment of the lab with no run, or nothing when there is none', () => {
    expect(resolveSelection([], ['e1'], {})).toEqual({ experiment: 'e1', runId: undefined, followsLatest: true });
    expect(resolveSelection([], [], {})).toEqual({ experiment: undefined, runId: undefined, followsLatest: true });
  });

  it('lists the lab experiments first, then those only the store knows', () => {
    expect(experimentNames(both, ['z-first', 'kvm-vs-tcg'])).toEqual(['z-first', 'kvm-vs-tcg']);
    expect(experimentNames(both, ['other'])).toEqual(['other', 'kvm-vs-tcg']);
  });
});

describe('buildViewModel', () => {
  const model = buildViewModel(
    input(both, {
      runLog: runLogOf({ experiment: 'kvm-vs-tcg', runId: 'run-2', labPath: LAB, notDone: [{ cell: 'guest/kvm/e1000/sysbench-cpu', status: 'skipped', reason: 'KVM is not usable on host "local": /dev/kvm is missing' }] }),
      problems: [{ line: 7, message: 'not valid JSON (corrupt line); skipped' }],
    }),
  );
  const run = model.run;

  it('names the lab, the experiments and their runs, newest first', () => {
    expect(model.labName).toBe('qemu-lab.yaml');
    expect(model.experiments).toEqual([
      {
        name: 'kvm-vs-tcg',
        inLab: true,
        runs: [
          { runId: 'run-2', started: '2026-01-05T14:03:00.000Z', label: '2026-01-05 14:03 UTC · run-2 (latest)' },
          { runId: 'run-1', started: '2026-01-04T10:00:00.000Z', label: '2026-01-04 10:00 UTC · run-1' },
        ],
      },
    ]);
    expect(model).toMatchObject({ experiment: 'kvm-vs-tcg', runId: 'run-2', followsLatest: true });
    expect(model.hint).toBeUndefined();
  });

  it('draws one grouped bar chart per benchmark: host, KVM and TCG groups, a series per NIC, whiskers min–max', () => {
    expect(run?.charts).toHaveLength(1);
    const chart = run?.charts[0];
    expect(chart).toMatchObject({ id: 'bar-sysbench-cpu', title: 'sysbench-cpu: events per second', unit: 'events/s', higherIsBetter: true, groups: ['host', 'KVM', 'TCG'] });
    expect(chart?.series.map((s) => [s.name, s.points.map((p) => p && [p.median, p.min, p.max, p.count, p.outliers])])).toEqual([
      ['host', [[2510, 2490, 2530, 5, 0], null, null]],
      ['virtio', [null, [2400, 2380, 2420, 5, 0], [250, 248, 400, 5, 1]]],
    ]);
  });

  it('writes the ratio from compareCells on the chart; host comparisons apart', () => {
    expect(run?.charts[0]?.ratios).toEqual(['KVM 9.6× faster than TCG']);
    expect(run?.charts[0]?.hostRatios).toEqual(['host 1.0× faster than guest (kvm, virtio)', 'host 10.0× faster than guest (tcg, virtio)']);
  });

  it('tabulates medians, CV, n, range and outliers per cell', () => {
    expect(run?.table).toEqual([
      { cell: 'host/sysbench-cpu', benchmark: 'sysbench-cpu', where: 'host', median: '2.51k events/s', cv: '0.6 %', count: 5, range: '2.49k–2.53k', outliers: 0, outlierValues: '' },
      { cell: 'guest/kvm/virtio/sysbench-cpu', benchmark: 'sysbench-cpu', where: 'guest · kvm · virtio', median: '2.40k events/s', cv: '0.7 %', count: 5, range: '2.38k–2.42k', outliers: 0, outlierValues: '' },
      { cell: 'guest/tcg/virtio/sysbench-cpu', benchmark: 'sysbench-cpu', where: 'guest · tcg · virtio', median: '250 events/s', cv: '24.0 %', count: 5, range: '248–400', outliers: 1, outlierValues: '400' },
    ]);
  });

  it('lists skipped and failed cells with the reasons of the run log, and the network used', () => {
    expect(run?.notDone).toEqual([{ cell: 'guest/kvm/e1000/sysbench-cpu', status: 'skipped', reason: 'KVM is not usable on host "local": /dev/kvm is missing' }]);
    expect(run?.hasRunLog).toBe(true);
    expect(run?.network).toBe(USER_NETWORK);
    // No iperf was measured: no warning about SLIRP.
    expect(run?.networkNote).toBeUndefined();
  });

  it('says where the numbers come from', () => {
    expect(run?.facts).toEqual([
      { name: 'Host CPU', value: 'AMD EPYC 7B13' },
      { name: 'Host kernel', value: '6.1.0-28-amd64' },
      { name: 'QEMU', value: '7.2.15 (/usr/bin/qemu-system-x86_64)' },
      { name: 'Guest', value: '1 vCPU, 1024 MiB, q35, image builtin' },
      { name: 'Tools', value: 'sysbench 1.0.20' },
      { name: 'Lab file', value: 'qemu-lab.yaml (sha256 abababababab, git none)' },
    ]);
  });

  it('keeps the history of each cell over the runs, oldest first', () => {
    expect(model.history.map((h) => [h.cell, h.label, h.points.map((p) => [p.runId, p.median])])).toEqual([
      ['host/sysbench-cpu', 'sysbench-cpu — host', [['run-1', 2510], ['run-2', 2510]]],
      ['guest/kvm/virtio/sysbench-cpu', 'sysbench-cpu — guest · kvm · virtio', [['run-1', 2400], ['run-2', 2400]]],
      ['guest/tcg/virtio/sysbench-cpu', 'sysbench-cpu — guest · tcg · virtio', [['run-1', 250], ['run-2', 250]]],
    ]);
  });

  it('passes on the store problems, and survives JSON as a valid show message', () => {
    expect(model.problems).toEqual(['line 7: not valid JSON (corrupt line); skipped']);
    const sent = JSON.parse(JSON.stringify({ type: 'show', model }));
    expect(isToResultsWebview(sent)).toBe(true);
    expect(isResultsViewModel(sent.model)).toBe(true);
  });

  it('uses the run log only for its own run', () => {
    const other = buildViewModel(input(both, { selection: resolveSelection(both, ['kvm-vs-tcg'], { experiment: 'kvm-vs-tcg', runId: 'run-1' }), runLog: runLogOf({ experiment: 'kvm-vs-tcg', runId: 'run-2', labPath: LAB }) }));
    expect(other.run).toMatchObject({ runId: 'run-1', hasRunLog: false, notDone: [] });
    expect(other.followsLatest).toBe(false);
  });

  it('warns about user networking when iperf was measured on it', () => {
    const records = runRecords({
      experiment: 'net',
      runId: 'n1',
      started: '2026-01-05T10:00:00.000Z',
      cells: [
        { benchmark: 'iperf3', target: 'guest', accel: 'kvm', nic: 'virtio', values: [9e9, 9.1e9, 8.9e9] },
        { benchmark: 'iperf3', target: 'guest', accel: 'kvm', nic: 'e1000', values: [3e9, 3.1e9, 2.9e9] },
      ],
    });
    const net = buildViewModel(input(records, { labExperiments: ['net'] }));
    expect(net.run?.networkNote).toMatch(/SLIRP/);
    expect(net.run?.charts[0]).toMatchObject({ groups: ['KVM'], ratios: ['virtio 3.0× faster than e1000'] });
    expect(net.run?.charts[0]?.series.map((s) => s.name)).toEqual(['virtio', 'e1000']);
    expect(net.run?.table[0]?.median).toBe('9.00 Gbit/s');
  });

  it('hints at what to do when there is nothing to show', () => {
    expect(buildViewModel(input([], { labExperiments: [] })).hint).toMatch(/^No results yet/);
    expect(buildViewModel(input([], { labExperiments: ['e1'] })).hint).toMatch(/^Experiment "e1" has no stored run yet/);
  });

  it('names the folder too when asked (several lab files of that name)', () => {
    expect(buildViewModel(input([], { showFolder: true })).labName).toBe('course/qemu-lab.yaml');
  });
});

describe('comparisonsOf', () => {
  it('says which NIC a KVM/TCG ratio holds for, and which accelerator a NIC ratio, when both vary', () => {
    const records = runRecords({
      experiment: 'm',
      runId: 'm1',
      started: '2026-01-05T10:00:00.000Z',
      cells: [
        { benchmark: 'sysbench-cpu', target: 'guest', accel: 'kvm', nic: 'virtio', values: [1000] },
        { benchmark: 'sysbench-cpu', target: 'guest', accel: 'kvm', nic: 'e1000', values: [900] },
        { benchmark: 'sysbench-cpu', target: 'guest', accel: 'tcg', nic: 'virtio', values: [100] },
        { benchmark: 'sysbench-cpu', target: 'guest', accel: 'tcg', nic: 'e1000', values: [100] },
      ],
    });
    expect(comparisonsOf(summarizeRun(records, 'm')).map((c) => c.label)).toEqual([
      'KVM 10.0× faster than TCG (virtio)',
      'KVM 9.0× faster than TCG (e1000)',
      'virtio 1.1× faster than e1000 (KVM)',
      'e1000 1.0× faster than virtio (TCG)',
    ]);
  });
});

describe('imported results', () => {
  it('are grouped by benchmark and label, with their files', () => {
    const imported = importedRecords([1000, 1200, 1100], 'baseline');
    const model = buildViewModel(input([...imported, ...newer], {}));
    expect(model.imported).toEqual([{ benchmark: 'sysbench-cpu', label: 'baseline', count: 3, median: '1.10k events/s', files: 'cpu-0.txt, cpu-1.txt, cpu-2.txt' }]);
    expect(model.run?.runId).toBe('run-2');
    expect(buildViewModel(input(imported, { labExperiments: [] })).hint).toBeUndefined();
  });
});

describe('progress', () => {
  it('words the time left', () => {
    expect([undefined, -1, 0.2, 40, 600, 7500].map(formatEta)).toEqual([undefined, undefined, 'about 1 s left', 'about 40 s left', 'about 10 min left', 'about 2 h 5 min left']);
  });

  it('turns runner progress and ended cells into what the panel shows', () => {
    const cell: PlannedCell = { id: 'guest/kvm/virtio/iperf3/to-guest', target: 'guest', benchmark: 'iperf3', direction: 'to-guest', config: { accel: 'kvm', nic: 'virtio', skipped: 'no KVM' } };
    const skipped = notDoneOf({ cell, status: 'skipped', reason: 'no KVM' });
    expect(skipped).toEqual({ cell: 'guest/kvm/virtio/iperf3/to-guest', status: 'skipped', reason: 'no KVM' });
    expect(notDoneOf({ cell, status: 'done', summary: summarizeRun(newer, 'kvm-vs-tcg')[0]!.summary, accel: 'kvm', note: '' })).toBeUndefined();
    expect(progressView('e', { done: 3, planned: 10, etaSeconds: 120, message: 'run 3' }, skipped === undefined ? [] : [skipped])).toEqual({
      experiment: 'e',
      done: 3,
      planned: 10,
      eta: 'about 2 min left',
      message: 'run 3',
      notDone: [skipped],
    });
    expect(progressView('e', { done: 0, planned: 10, etaSeconds: undefined, message: 'warm-up' }, [])).not.toHaveProperty('eta');
  });
});

describe('formatting', () => {
  it('formats values and times', () => {
    expect(formatValue(21.1e9, 'bit/s')).toBe('21.1 Gbit/s');
    expect(formatValue(6912.61, 'MiB/s')).toBe('6.91k MiB/s');
    expect(formatStarted('2026-01-05T14:03:27.120Z')).toBe('2026-01-05 14:03 UTC');
    expect(formatStarted('garbage')).toBe('garbage');
  });
});
