/**
 * The Chart.js configuration of the COLO panel's cost chart, from the view model: per benchmark
 * the guest's throughput with COLO — by the guest's clock, and in host time with the pauses taken
 * off — as a share of its throughput without (100 %), so sysbench cpu
 * (events/s) and memory (MiB/s) share one axis; the figures themselves are in the tooltip and
 * the table beside it. Pure (types only from Chart.js), unit-tested without a canvas.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { backgroundPlugin, chartTitle, PANEL_CHART_LAYOUT } from '../shared/chart-plugins';
import { withUnit } from '../shared/format';
import type { Palette } from '../shared/theme';
import type { ColoCostView } from './model';

/** The cost chart's id. */
export const COST_CHART_ID = 'colo-cost';

/** Without COLO (100 %) and with COLO (its share), per benchmark. */
export function costChartConfig(cost: ColoCostView, palette: Palette): ChartConfiguration<'bar', number[], string> {
  const share = (with_: number, without: number): number => (without === 0 ? 0 : (with_ / without) * 100);
  const series = [
    { label: 'without COLO', data: cost.bars.map(() => 100), figure: (i: number) => cost.bars[i]?.without },
    { label: "with COLO (guest's clock)", data: cost.bars.map((b) => share(b.with, b.without)), figure: (i: number) => cost.bars[i]?.with },
    ...(cost.bars.some((b) => b.withHostTime !== undefined)
      ? [{ label: 'with COLO (host time)', data: cost.bars.map((b) => share(b.withHostTime ?? 0, b.without)), figure: (i: number) => cost.bars[i]?.withHostTime }]
      : []),
  ];
  return {
    type: 'bar',
    data: {
      labels: cost.bars.map((b) => b.benchmark),
      datasets: series.map((s, index) => {
        const color = palette.series[index % palette.series.length] ?? palette.foreground;
        return { label: s.label, data: s.data, backgroundColor: color, borderColor: color, borderWidth: 1 };
      }),
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      plugins: {
        title: chartTitle('Guest throughput with COLO, as a share of without', palette),
        subtitle: { display: cost.bars.length > 0, text: cost.bars.map((b) => `${b.benchmark}: ${b.ratio} by the guest's clock${b.hostRatio === undefined ? '' : `, ${b.hostRatio} in host time`}`), color: palette.accent, font: { size: 13 }, padding: { bottom: 8 } },
        legend: { display: true, labels: { color: palette.foreground } },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const bar = cost.bars[item.dataIndex];
              const figure = series[item.datasetIndex]?.figure(item.dataIndex);
              return bar === undefined || figure === undefined ? '' : [`${series[item.datasetIndex]?.label ?? ''}: ${withUnit(figure, bar.unit)}`, `${Number(item.raw).toFixed(0)} % of without COLO`];
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: palette.foreground }, grid: { color: palette.grid } },
        y: {
          beginAtZero: true,
          suggestedMax: 110,
          title: { display: true, text: '% of the throughput without COLO (higher is better)', color: palette.muted },
          ticks: { color: palette.foreground, callback: (value) => `${Number(value).toFixed(0)} %` },
          grid: { color: palette.grid },
        },
      },
    },
    plugins: [backgroundPlugin<'bar'>(palette.background)],
  };
}
