import { describe, expect, it } from 'vitest';
import { barChartConfig, barRanges, historyChartConfig, isBarScale, shareBaseline, shortTime } from '../../../webview/results/chart-config';
import { backgroundPlugin, chartTitle, errorBarsPlugin, highest } from '../../../webview/shared/chart-plugins';
import { comparisonChartConfig } from '../../../webview/migration/comparison-chart-config';
import { shortNumber, withUnit } from '../../../webview/shared/format';
import type { BarChartView, CellHistory } from '../../../webview/results/model';
import { readPalette, SERIES_VARIABLES } from '../../../webview/shared/theme';

const palette = readPalette((name) => ({ '--vscode-foreground': '#111111', '--vscode-charts-blue': ' #0000ff ', '--vscode-charts-orange': '#ff8800' })[name] ?? '');

const chart: BarChartView = {
  id: 'bar-sysbench-cpu',
  benchmark: 'sysbench-cpu',
  title: 'sysbench-cpu: events per second',
  unit: 'events/s',
  higherIsBetter: true,
  groups: ['host', 'KVM', 'TCG'],
  series: [
    { name: 'host', points: [{ cell: 'host/sysbench-cpu', median: 2510, min: 2490, max: 2530, count: 5, outliers: 0 }, null, null] },
    {
      name: 'virtio',
      points: [null, { cell: 'guest/kvm/virtio/sysbench-cpu', median: 2400, min: 2380, max: 2420, count: 5, outliers: 0 }, { cell: 'guest/tcg/virtio/sysbench-cpu', median: 250, min: 248, max: 400, count: 5, outliers: 1 }],
    },
  ],
  ratios: ['KVM 9.6× faster than TCG'],
  hostRatios: ['host 10.0× faster than guest (tcg, virtio)'],
};

describe('readPalette', () => {
  it('takes the theme variables, trimmed, and falls back where one is unset', () => {
    expect(palette.foreground).toBe('#111111');
    expect(palette.series[0]).toBe('#0000ff');
    expect(palette.accent).toBe('#ff8800');
    expect(palette.series[1]).toBe(SERIES_VARIABLES[1]?.[1]);
    expect(palette.background).toBe('#1e1e1e');
  });
});

describe('barChartConfig on another scale', () => {
  it('log: a logarithmic value axis, the medians as measured, room above the whiskers', () => {
    const config = barChartConfig(chart, palette, 'log');
    expect(config.options?.scales?.y).toMatchObject({ type: 'logarithmic', suggestedMax: 2530 * 1.5, title: { text: 'events/s (higher is better), logarithmic' } });
    expect(config.options?.scales?.y).not.toHaveProperty('beginAtZero');
    expect(config.data.datasets.map((d) => d.data)).toEqual([
      [2510, null, null],
      [null, 2400, 250],
    ]);
  });

  it('share: every bar and whisker as a percentage of the first bar (the host), said on the axis and in the tooltip', () => {
    expect(shareBaseline(chart)).toEqual({ label: 'host', median: 2510 });
    const config = barChartConfig(chart, palette, 'share');
    const [host, virtio] = config.data.datasets.map((d) => d.data);
    expect(host?.[0]).toBeCloseTo(100);
    expect(virtio?.[1]).toBeCloseTo((2400 / 2510) * 100);
    expect(virtio?.[2]).toBeCloseTo((250 / 2510) * 100);
    expect(config.options?.scales?.y).toMatchObject({ beginAtZero: true, title: { text: '% of host (higher is better)' } });
    const label = config.options?.plugins?.tooltip?.callbacks?.label as unknown as (item: { datasetIndex: number; dataIndex: number }) => string[];
    expect(label({ datasetIndex: 1, dataIndex: 2 })).toEqual(['virtio', '9.96 % of host', 'median 250 events/s', 'min–max 248 events/s – 400 events/s', 'n = 5, 1 outlier']);
  });

  it('share without a host: the first configuration is the baseline; with nothing measured, the bars as measured', () => {
    const guests: BarChartView = { ...chart, groups: ['KVM', 'TCG'], series: [{ name: 'virtio', points: chart.series[1]?.points.slice(1) ?? [] }] };
    expect(shareBaseline(guests)).toEqual({ label: 'KVM virtio', median: 2400 });
    const empty: BarChartView = { ...chart, series: [{ name: 'virtio', points: [null, null, null] }] };
    expect(shareBaseline(empty)).toBeUndefined();
    expect(barChartConfig(empty, palette, 'share').options?.scales?.y).toMatchObject({ title: { text: 'events/s (higher is better)' } });
  });

  it('knows its scales, and nothing else', () => {
    expect(['linear', 'log', 'share'].every(isBarScale)).toBe(true);
    expect(isBarScale('relative')).toBe(false);
  });
});

describe('barChartConfig', () => {
  const config = barChartConfig(chart, palette);

  it('draws a grouped bar chart of medians: one dataset per series, gaps where not measured', () => {
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual(['host', 'KVM', 'TCG']);
    expect(config.data.datasets.map((d) => [d.label, d.data, (d as { skipNull?: boolean }).skipNull])).toEqual([
      ['host', [2510, null, null], true],
      ['virtio', [null, 2400, 250], true],
    ]);
    expect(config.data.datasets[0]?.backgroundColor).toBe('#0000ff');
    expect(config.options?.animation).toBe(false);
  });

  it('writes the ratios on the chart (subtitle) in the accent colour, and the title', () => {
    expect(config.options?.plugins?.subtitle).toMatchObject({ display: true, text: ['KVM 9.6× faster than TCG'], color: '#ff8800' });
    expect(config.options?.plugins?.title).toMatchObject({ display: true, text: 'sysbench-cpu: events per second' });
    expect(barChartConfig({ ...chart, ratios: [] }, palette).options?.plugins?.subtitle?.display).toBe(false);
  });

  it('makes room for the whiskers and says which way is better', () => {
    expect(config.options?.scales?.y).toMatchObject({ beginAtZero: true, suggestedMax: 2530 * 1.05, title: { text: 'events/s (higher is better)' } });
    expect(barRanges(chart)).toEqual([
      [{ low: 2490, high: 2530 }, null, null],
      [null, { low: 2380, high: 2420 }, { low: 248, high: 400 }],
    ]);
  });

  it('has the background and error-bar plugins', () => {
    expect(config.plugins?.map((p) => p.id)).toEqual(['qemuLabBackground', 'qemuLabErrorBars']);
  });
});

describe('historyChartConfig', () => {
  const history: CellHistory = {
    cell: 'guest/kvm/virtio/sysbench-cpu',
    label: 'sysbench-cpu — guest · kvm · virtio',
    benchmark: 'sysbench-cpu',
    unit: 'events/s',
    points: [
      { runId: 'run-1', started: '2026-01-04T10:00:00.000Z', median: 2300, min: 2200, max: 2350, count: 5 },
      { runId: 'run-2', started: '2026-01-05T14:03:00.000Z', median: 2400, min: 2380, max: 2420, count: 5 },
    ],
  };

  it('draws the medians over runs, oldest first, labelled by time', () => {
    const config = historyChartConfig(history, palette);
    expect(config.type).toBe('line');
    expect(config.data.labels).toEqual(['01-04 10:00', '01-05 14:03']);
    expect(config.data.datasets[0]?.data).toEqual([2300, 2400]);
    expect(config.options?.scales?.y).toMatchObject({ suggestedMax: 2420 * 1.05 });
  });

  it('shortTime keeps text it cannot read', () => {
    expect(shortTime('yesterday')).toBe('yesterday');
  });
});

describe('errorBarsPlugin', () => {
  function fakeChart(visible: boolean[]) {
    const lines: [string, number, number][] = [];
    const ctx = {
      save: () => lines.push(['save', 0, 0]),
      restore: () => lines.push(['restore', 0, 0]),
      beginPath: () => undefined,
      stroke: () => undefined,
      moveTo: (x: number, y: number) => lines.push(['move', x, y]),
      lineTo: (x: number, y: number) => lines.push(['line', x, y]),
      strokeStyle: '',
      lineWidth: 0,
    };
    const chart = {
      ctx,
      scales: { y: { getPixelForValue: (v: number) => 1000 - v } },
      isDatasetVisible: (i: number) => visible[i] ?? false,
      getDatasetMeta: (i: number) => ({ data: [{ x: 10 + 100 * i, width: 30 }, { x: 50 + 100 * i, width: 30 }] }),
    };
    return { chart, ctx, lines };
  }

  it('draws a whisker with caps from low to high over each bar that has a range', () => {
    const { chart, ctx, lines } = fakeChart([true, false]);
    const plugin = errorBarsPlugin<'bar'>([[{ low: 100, high: 300 }, null], [{ low: 1, high: 2 }]], '#abcdef');
    // The plugin only uses the parts of the chart faked here.
    (plugin.afterDatasetsDraw as unknown as (c: unknown) => void)(chart);
    expect(ctx.strokeStyle).toBe('#abcdef');
    expect(lines).toEqual([
      ['save', 0, 0],
      ['move', 10, 700],
      ['line', 10, 900],
      ['move', 0, 700],
      ['line', 20, 700],
      ['move', 0, 900],
      ['line', 20, 900],
      ['restore', 0, 0],
    ]);
  });

  it('the background plugin paints under everything', () => {
    const calls: string[] = [];
    const ctx = { save: () => calls.push('save'), restore: () => calls.push('restore'), fillRect: (...a: number[]) => calls.push(`fill ${a.join(',')}`), globalCompositeOperation: '', fillStyle: '' };
    (backgroundPlugin<'bar'>('#123456').beforeDraw as unknown as (c: unknown) => void)({ ctx, width: 40, height: 30 });
    expect(calls).toEqual(['save', 'fill 0,0,40,30', 'restore']);
    expect(ctx.globalCompositeOperation).toBe('destination-over');
    expect(ctx.fillStyle).toBe('#123456');
  });
});

describe('what every panel chart shares', () => {
  it('highest: the top of the highest error bar, none without bars', () => {
    expect(highest([null, { low: 1, high: 7 }, { low: 2, high: 3 }])).toBe(7);
    expect(highest([null, null])).toBeUndefined();
    expect(highest([])).toBeUndefined();
  });

  it('chartTitle: bold, in the theme foreground', () => {
    expect(chartTitle('t', palette)).toEqual({ display: true, text: 't', color: '#111111', font: { size: 14, weight: 'bold' } });
  });

  it("every panel's charts draw at once, sized by their box, under a title", () => {
    const history: CellHistory = { cell: 'c', label: 'l', benchmark: 'b', unit: 'u', points: [{ runId: 'r', started: '2026-01-05T14:03:00Z', median: 1, min: 1, max: 1, count: 1 }] };
    const comparison = comparisonChartConfig({ id: 'downtime', title: 'Downtime, ms', unit: 'ms', bars: [{ label: 'a', median: 1, min: 1, max: 1, count: 1 }] }, ['a'], palette);
    for (const config of [barChartConfig(chart, palette), historyChartConfig(history, palette), comparison]) {
      expect(config.options).toMatchObject({ animation: false, responsive: true, maintainAspectRatio: false });
      expect(config.options?.plugins?.title).toMatchObject({ display: true, color: '#111111', font: { size: 14, weight: 'bold' } });
    }
  });
});

describe('format', () => {
  it('shortens numbers for axes', () => {
    expect([0, 5, 12.345, 250, 2510, 2_400_000, 21.1e9].map(shortNumber)).toEqual(['0', '5', '12.3', '250', '2.51k', '2.4M', '21.1G']);
  });

  it('scales bit rates and keeps other units', () => {
    expect(withUnit(21.1e9, 'bit/s')).toBe('21.1 Gbit/s');
    expect(withUnit(940, 'bit/s')).toBe('940 bit/s');
    expect(withUnit(2510, 'events/s')).toBe('2.51k events/s');
  });
});
