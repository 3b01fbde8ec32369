/**
 * Chart.js configuration of the migration panel's "Compare settings" tab: one bar chart per
 * quantity (total time, downtime, RAM transferred), a bar per settings group — its median over
 * the completed runs, min–max whiskers when there were several — each group in the same colour
 * on every chart. Pure (types only from Chart.js): unit-tested without a canvas.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { backgroundPlugin, chartTitle, errorBarsPlugin, PANEL_CHART_LAYOUT } from '../shared/chart-plugins';
import { shortNumber } from '../shared/format';
import type { ComparisonChartView } from './comparison-model';
import type { Palette } from '../shared/theme';

/** The chart ids of the tab (a canvas each). */
export function comparisonChartId(view: ComparisonChartView): string {
  return `compare-${view.id}`;
}

/** `auto-converge · 128 MiB/s · 300 ms` on three lines: long settings stay readable under a bar. */
export function labelLines(label: string): string[] {
  return label.split(' · ');
}

/**
 * The bar chart of one quantity. `groups` is every settings label of the tab in order: it picks
 * the colour, so a group keeps its colour on the charts where another group has no bar.
 */
export function comparisonChartConfig(view: ComparisonChartView, groups: readonly string[], palette: Palette): ChartConfiguration<'bar', number[], string[]> {
  const colors = view.bars.map((bar) => palette.series[Math.max(0, groups.indexOf(bar.label)) % palette.series.length] ?? palette.foreground);
  const ranges = [view.bars.map((bar) => (bar.count > 1 ? { low: bar.min, high: bar.max } : null))];
  const top = Math.max(0, ...view.bars.map((bar) => bar.max));
  return {
    type: 'bar',
    data: {
      labels: view.bars.map((bar) => labelLines(bar.label)),
      datasets: [{ label: view.title, data: view.bars.map((bar) => bar.median), backgroundColor: colors, borderColor: colors, borderWidth: 1 }],
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      plugins: {
        title: chartTitle(view.title, palette),
        subtitle: { display: true, text: 'median of the completed runs; whiskers min–max', color: palette.muted, padding: { bottom: 8 } },
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const bar = view.bars[item.dataIndex];
              if (bar === undefined) return '';
              const value = (v: number): string => `${shortNumber(v)} ${view.unit}`;
              return [`median ${value(bar.median)}`, ...(bar.count > 1 ? [`min–max ${value(bar.min)} – ${value(bar.max)}`] : []), `n = ${bar.count}`];
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: palette.foreground, autoSkip: false }, grid: { color: palette.grid } },
        y: {
          beginAtZero: true,
          ...(top > 0 ? { suggestedMax: top * 1.05 } : {}),
          title: { display: true, text: `${view.unit} (lower is better)`, color: palette.muted },
          ticks: { color: palette.foreground, callback: (value) => shortNumber(Number(value)) },
          grid: { color: palette.grid },
        },
      },
    },
    plugins: [backgroundPlugin<'bar'>(palette.background), errorBarsPlugin<'bar'>(ranges, palette.foreground)],
  };
}
