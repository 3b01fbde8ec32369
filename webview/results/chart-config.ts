/**
 * Chart.js configurations for the panel's charts, built from the view model: a grouped bar chart
 * of medians per benchmark, with min–max error bars and the ratios written on it, and a line
 * chart of a cell's medians over runs. Pure (types only from Chart.js), so it is unit-tested
 * without a canvas; webview/shared/charts.ts creates the charts.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { backgroundPlugin, chartTitle, errorBarsPlugin, highest, PANEL_CHART_LAYOUT, type Range } from '../shared/chart-plugins';
import { shortNumber, withUnit } from '../shared/format';
import type { BarChartView, BarPoint, CellHistory } from './model';
import type { Palette } from '../shared/theme';

/** The id of the history chart (for PNG export). */
export const HISTORY_CHART_ID = 'history';

/** The error bars of a bar chart: per series, per group. */
export function barRanges(view: BarChartView): (Range | null)[][] {
  return view.series.map((s) => s.points.map((p) => (p === null ? null : { low: p.min, high: p.max })));
}

function pointLines(point: BarPoint, unit: string): string[] {
  return [
    `median ${withUnit(point.median, unit)}`,
    `min–max ${withUnit(point.min, unit)} – ${withUnit(point.max, unit)}`,
    `n = ${point.count}${point.outliers > 0 ? `, ${point.outliers} outlier${point.outliers > 1 ? 's' : ''}` : ''}`,
  ];
}

/**
 * How the bar charts' value axis is drawn: `linear` (the medians as measured); `log` (a
 * logarithmic axis, so a TCG guest at 1/40 of the host is a bar, not a sliver); `share` (each bar
 * as a percentage of the chart's first bar — the host, or the first configuration).
 */
export type BarScale = 'linear' | 'log' | 'share';

/** The scales offered, with the words of the panel's dropdown. */
export const BAR_SCALES: readonly { readonly value: BarScale; readonly label: string }[] = [
  { value: 'linear', label: 'Linear' },
  { value: 'log', label: 'Logarithmic' },
  { value: 'share', label: '% of the first bar' },
];

/** Whether `value` is a {@link BarScale}. */
export function isBarScale(value: unknown): value is BarScale {
  return BAR_SCALES.some((s) => s.value === value);
}

/** The chart's first bar (first group, first series with a value there): what `share` divides by. */
export function shareBaseline(view: BarChartView): { readonly label: string; readonly median: number } | undefined {
  for (const [groupIndex, group] of view.groups.entries()) {
    for (const series of view.series) {
      const point = series.points[groupIndex];
      if (point !== null && point !== undefined && point.median > 0) return { label: series.name === group ? group : `${group} ${series.name}`, median: point.median };
    }
  }
  return undefined;
}

/** The grouped bar chart of one benchmark: medians, min–max whiskers, ratios as subtitle, on the chosen scale. */
export function barChartConfig(view: BarChartView, palette: Palette, scale: BarScale = 'linear'): ChartConfiguration<'bar', (number | null)[], string> {
  const baseline = scale === 'share' ? shareBaseline(view) : undefined;
  // Without a first bar to divide by (nothing measured), `share` draws as measured.
  const factor = baseline === undefined ? 1 : 100 / baseline.median;
  const ranges = barRanges(view).map((series) => series.map((r) => (r === null ? null : { low: r.low * factor, high: r.high * factor })));
  const top = highest(ranges.flat());
  const better = view.higherIsBetter ? ' (higher is better)' : ' (lower is better)';
  const axisTitle = baseline === undefined ? `${view.unit}${better}${scale === 'log' ? ', logarithmic' : ''}` : `% of ${baseline.label}${better}`;
  const tick = (value: number | string): string => (baseline === undefined ? shortNumber(Number(value)) : `${shortNumber(Number(value))} %`);
  return {
    type: 'bar',
    data: {
      labels: [...view.groups],
      datasets: view.series.map((series, index) => {
        const color = palette.series[index % palette.series.length] ?? palette.foreground;
        return {
          label: series.name,
          data: series.points.map((p) => (p === null ? null : p.median * factor)),
          backgroundColor: color,
          borderColor: color,
          borderWidth: 1,
          skipNull: true,
        };
      }),
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      plugins: {
        title: chartTitle(view.title, palette),
        subtitle: { display: view.ratios.length > 0, text: [...view.ratios], color: palette.accent, font: { size: 13 }, padding: { bottom: 8 } },
        legend: { display: view.series.length > 1, labels: { color: palette.foreground } },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const point = view.series[item.datasetIndex]?.points[item.dataIndex];
              if (point === null || point === undefined) return '';
              const share = baseline === undefined ? [] : [`${shortNumber(point.median * factor)} % of ${baseline.label}`];
              return [`${view.series[item.datasetIndex]?.name ?? ''}`, ...share, ...pointLines(point, view.unit)];
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: palette.foreground }, grid: { color: palette.grid } },
        y:
          scale === 'log'
            ? {
                type: 'logarithmic',
                ...(top === undefined ? {} : { suggestedMax: top * 1.5 }),
                title: { display: true, text: axisTitle, color: palette.muted },
                ticks: { color: palette.foreground, callback: tick },
                grid: { color: palette.grid },
              }
            : {
                beginAtZero: true,
                ...(top === undefined ? {} : { suggestedMax: top * 1.05 }),
                title: { display: true, text: axisTitle, color: palette.muted },
                ticks: { color: palette.foreground, callback: tick },
                grid: { color: palette.grid },
              },
      },
    },
    plugins: [backgroundPlugin<'bar'>(palette.background), errorBarsPlugin<'bar'>(ranges, palette.foreground)],
  };
}

/** `2026-01-05T14:03:27Z` → `01-05 14:03` (UTC, as the run dropdown says). */
export function shortTime(iso: string): string {
  const match = /^\d{4}-(\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]}`;
}

/** A cell's medians over its experiment's runs, oldest first, with min–max whiskers. */
export function historyChartConfig(history: CellHistory, palette: Palette): ChartConfiguration<'line', number[], string> {
  const ranges = [history.points.map((p) => ({ low: p.min, high: p.max }))];
  const color = palette.series[0] ?? palette.foreground;
  const top = highest(ranges[0] ?? []);
  return {
    type: 'line',
    data: {
      labels: history.points.map((p) => shortTime(p.started)),
      datasets: [{ label: history.label, data: history.points.map((p) => p.median), borderColor: color, backgroundColor: color, pointRadius: 4, tension: 0 }],
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      plugins: {
        title: chartTitle(`${history.label}: median per run`, palette),
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'line'>) => {
              const point = history.points[item.dataIndex];
              return point === undefined ? '' : [...pointLines({ cell: history.cell, ...point, outliers: 0 }, history.unit).slice(0, 2), `n = ${point.count}`, `run ${point.runId.slice(0, 8)}`];
            },
          },
        },
      },
      scales: {
        x: { title: { display: true, text: 'run (UTC)', color: palette.muted }, ticks: { color: palette.foreground }, grid: { color: palette.grid } },
        y: {
          beginAtZero: true,
          ...(top === undefined ? {} : { suggestedMax: top * 1.05 }),
          title: { display: true, text: history.unit, color: palette.muted },
          ticks: { color: palette.foreground, callback: (value) => shortNumber(Number(value)) },
          grid: { color: palette.grid },
        },
      },
    },
    plugins: [backgroundPlugin<'line'>(palette.background), errorBarsPlugin<'line'>(ranges, palette.foreground)],
  };
}
