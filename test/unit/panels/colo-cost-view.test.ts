import { describe, expect, it } from 'vitest';
import type { PartOutcome } from '../../../extension/core/lab-run/outcome';
import { coloCostView } from '../../../extension/presentation/panels/colo/cost-view';
import { buildColoViewModel } from '../../../extension/presentation/panels/colo/view-model';
import { costChartConfig } from '../../../webview/colo/chart-config';
import { isColoViewModel } from '../../../webview/colo/model';
import { isToColoWebview } from '../../../webview/colo/protocol';
import { readPalette } from '../../../webview/shared/theme';

const palette = readPalette((name) => ({ '--vscode-foreground': '#111111', '--vscode-charts-blue': '#0000ff', '--vscode-charts-orange': '#ff8800' })[name] ?? '');
const header = { labPath: '/lab/qemu-lab.yaml', vmName: 'vm1', secondaryHost: 'local' };

const colo = (startedAt: string, cpuWith: number, over: Partial<PartOutcome> = {}): PartOutcome => ({
  key: 'colo:vm1',
  kind: 'colo',
  name: 'vm1',
  run: 1,
  status: 'done',
  startedAt,
  seconds: 280,
  result: {
    kind: 'colo',
    qemuVersion: '11.1.3',
    checkpointDelayMs: 2000,
    enterColoMs: 5100,
    checkpoints: { lookMs: 4500, count: 2, intervalsMs: [2010], pausesMs: [300, 410] },
    failover: { survivor: 'secondary', durationMs: 190 },
    cost: {
      baseline: 'before-colo',
      seconds: 10,
      figures: [
        { benchmark: 'sysbench-cpu', unit: 'events/s', without: 80, with: cpuWith, ratio: cpuWith / 80 },
        { benchmark: 'sysbench-memory', unit: 'MiB/s', without: 1000, with: 500, ratio: 0.5 },
      ],
      underLoad: { lookMs: 10000, count: 4, intervalsMs: [1850, 2790], pausesMs: [713.6, 1193.3] },
    },
  },
  ...over,
});

describe("the COLO panel's cost of COLO", () => {
  it("words the latest run's cost that measured one, from the lab run's record", () => {
    const state = { schema: 1, parts: { 'colo:vm1': [colo('2026-12-03T07:00:00.000Z', 40), colo('2026-12-03T08:00:00.000Z', 60), colo('2026-12-03T09:00:00.000Z', 70, { status: 'failed', result: undefined, reason: 'boot' })] } };
    const cost = coloCostView(state, 'vm1');
    expect(cost?.source).toBe(
      "Measured by qemu-lab run (started 2026-12-03 08:00:00Z) on QEMU 11.1.3, checkpoint delay 2000 ms: sysbench in the guest, 10 s each; without COLO is the same QEMU process before COLO was added to it. " +
        "The guest's clock stands still in a checkpoint's pause, so sysbench's figure leaves the pauses out; host time takes off the 19 % the guest stood still under load.",
    );
    expect(cost?.bars).toEqual([
      { benchmark: 'sysbench-cpu', unit: 'events/s', without: 80, with: 60, ratio: '0.75× (−25 %)', withHostTime: expect.closeTo(60 * (1 - 0.19069), 9), hostRatio: '0.61× (−39 %)' },
      { benchmark: 'sysbench-memory', unit: 'MiB/s', without: 1000, with: 500, ratio: '0.50× (−50 %)', withHostTime: expect.closeTo(500 * (1 - 0.19069), 9), hostRatio: '0.40× (−60 %)' },
    ]);
    expect(cost?.checkpoints).toEqual([
      { name: 'Idle', value: '2 seen in 4.5 s; every 2010–2010 ms; guest paused 300–410 ms each' },
      { name: 'Under load', value: '4 seen in 10.0 s; every 1850–2790 ms; guest paused 713.6–1193.3 ms each' },
    ]);
    expect(coloCostView(state, 'vm2')).toBeUndefined();
    expect(coloCostView({ schema: 1, parts: {} }, 'vm1')).toBeUndefined();
  });

  it('goes into the panel model whatever the pair does now, and through the protocol check', () => {
    const cost = coloCostView({ schema: 1, parts: { 'colo:vm1': [colo('2026-12-03T08:00:00.000Z', 60)] } }, 'vm1');
    const model = buildColoViewModel(header, { kind: 'no-pair', readAt: '2026-12-03T08:10:00.000Z' }, undefined, cost);
    expect(model.cost).toEqual(cost);
    expect(isColoViewModel(model)).toBe(true);
    expect(isToColoWebview({ type: 'colo', model })).toBe(true);
    expect(isToColoWebview({ type: 'colo', model: { ...model, cost: { ...cost, bars: [{ benchmark: 'x', unit: 'u', without: 'lots', with: 1, ratio: '' }] } } })).toBe(false);
    expect(buildColoViewModel(header, undefined, undefined).cost).toBeUndefined();
  });

  it('charts with COLO as a share of without, one group per benchmark, the figures in the tooltip', () => {
    const cost = coloCostView({ schema: 1, parts: { 'colo:vm1': [colo('2026-12-03T08:00:00.000Z', 60)] } }, 'vm1');
    if (cost === undefined) throw new Error('no cost');
    const config = costChartConfig(cost, palette);
    expect(config.data.labels).toEqual(['sysbench-cpu', 'sysbench-memory']);
    expect(config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['without COLO', [100, 100]],
      ["with COLO (guest's clock)", [75, 50]],
      ['with COLO (host time)', [expect.closeTo(75 * (1 - 0.19069), 9), expect.closeTo(50 * (1 - 0.19069), 9)]],
    ]);
    expect(config.data.datasets[0]?.backgroundColor).toBe('#0000ff');
    const label = config.options?.plugins?.tooltip?.callbacks?.label as unknown as (item: { datasetIndex: number; dataIndex: number; raw: number }) => string[];
    expect(label({ datasetIndex: 1, dataIndex: 1, raw: 50 })).toEqual(["with COLO (guest's clock): 500 MiB/s", '50 % of without COLO']);
    expect(config.options?.plugins?.subtitle?.text).toEqual(["sysbench-cpu: 0.75× (−25 %) by the guest's clock, 0.61× (−39 %) in host time", "sysbench-memory: 0.50× (−50 %) by the guest's clock, 0.40× (−60 %) in host time"]);
  });
});
