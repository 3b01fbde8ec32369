/**
 * Chart.js configurations for the panel's charts, built from the view model: a grouped bar chart
 * of medians per benchmark, with min–max error bars and the ratios written on it, and a line
 * chart of a cell's medians over runs. Pure (types only from Chart.js), so it is unit-tested
 * without a canvas; webview/charts.ts creates the charts.
 */
import type { ChartConfiguration, Plugin, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { shortNumber, withUnit } from './format';
import type { BarChartView, BarPoint, CellHistory } from './model';
import type { Palette } from './theme';

/** An error bar: the spread of a cell's runs. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

/** The id of the history chart (for PNG export). */
export const HISTORY_CHART_ID = 'history';

/**
 * Draws error bars (a vertical line with caps) over bars or line points: `ranges[dataset][index]`,
 * null where there is no bar. A few lines instead of another npm package.
 */
export function errorBarsPlugin<T extends 'bar' | 'line'>(ranges: readonly (readonly (Range | null)[])[], color: string): Plugin<T> {
  return {
    id: 'qemuLabErrorBars',
    afterDatasetsDraw(chart) {
      const y = chart.scales.y;
      if (y === undefined) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ranges.forEach((points, datasetIndex) => {
        if (!chart.isDatasetVisible(datasetIndex)) return;
        const elements = chart.getDatasetMeta(datasetIndex).data;
        points.forEach((range, index) => {
          const element = elements[index];
          if (range === null || element === undefined) return;
          const barWidth = (element as { width?: unknown }).width;
          const cap = typeof barWidth === 'number' ? Math.min(12, barWidth / 3) : 5;
          const top = y.getPixelForValue(range.high);
          const bottom = y.getPixelForValue(range.low);
          ctx.beginPath();
          ctx.moveTo(element.x, top);
          ctx.lineTo(element.x, bottom);
          ctx.moveTo(element.x - cap, top);
          ctx.lineTo(element.x + cap, top);
          ctx.moveTo(element.x - cap, bottom);
          ctx.lineTo(element.x + cap, bottom);
          ctx.stroke();
        });
      });
      ctx.restore();
    },
  };
}

/** Fills the canvas with the theme's background first, so a PNG export is not transparent. */
export function backgroundPlugin<T extends 'bar' | 'line'>(color: string): Plugin<T> {
  return {
    id: 'qemuLabBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

function highest(ranges: readonly (Range | null)[]): number | undefined {
  const highs = ranges.flatMap((r) => (r === null ? [] : [r.high]));
  return highs.length === 0 ? undefined : Math.max(...highs);
}

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

/** The grouped bar chart of one benchmark: medians, min–max whiskers, ratios as subtitle. */
export function barChartConfig(view: BarChartView, palette: Palette): ChartConfiguration<'bar', (number | null)[], string> {
  const ranges = barRanges(view);
  const top = highest(ranges.flat());
  return {
    type: 'bar',
    data: {
      labels: [...view.groups],
      datasets: view.series.map((series, index) => {
        const color = palette.series[index % palette.series.length] ?? palette.foreground;
        return {
          label: series.name,
          data: series.points.map((p) => (p === null ? null : p.median)),
          backgroundColor: color,
          borderColor: color,
          borderWidth: 1,
          skipNull: true,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: view.title, color: palette.foreground, font: { size: 14, weight: 'bold' } },
        subtitle: { display: view.ratios.length > 0, text: [...view.ratios], color: palette.accent, font: { size: 13 }, padding: { bottom: 8 } },
        legend: { display: view.series.length > 1, labels: { color: palette.foreground } },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const point = view.series[item.datasetIndex]?.points[item.dataIndex];
              return point === null || point === undefined ? '' : [`${view.series[item.datasetIndex]?.name ?? ''}`, ...pointLines(point, view.unit)];
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: palette.foreground }, grid: { color: palette.grid } },
        y: {
          beginAtZero: true,
          ...(top === undefined ? {} : { suggestedMax: top * 1.05 }),
          title: { display: true, text: `${view.unit}${view.higherIsBetter ? ' (higher is better)' : ' (lower is better)'}`, color: palette.muted },
          ticks: { color: palette.foreground, callback: (value) => shortNumber(Number(value)) },
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
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: `${history.label}: median per run`, color: palette.foreground, font: { size: 14, weight: 'bold' } },
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
