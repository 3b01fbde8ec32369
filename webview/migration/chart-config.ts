/**
 * Chart.js configurations of the live migration panel: the migration's quantities over time
 * (remaining RAM, dirty rate and throughput, dirty-sync passes, each against its own axis), and
 * the `--during` benchmarks as a percentage of their baseline, on the same time axis — the
 * phases, the switch-over and stream breaks as vertical lines, the baseline and the migration as
 * shaded bands. Pure (types only from Chart.js), so it is unit-tested without a canvas.
 */
import type { ChartConfiguration, Plugin, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { backgroundPlugin, chartTitle, PANEL_CHART_LAYOUT } from '../shared/chart-plugins';
import { shortNumber } from '../shared/format';
import { placeMarkerLabels } from './marker-labels';
import type { MigrationViewModel, ProgressAxis, TimeBand, TimeMarker } from './model';
import type { Palette } from '../shared/theme';

/** The ids of the panel's charts (for PNG export). */
export const MIGRATION_CHART_ID = 'migration';
export const DURING_CHART_ID = 'during';

/** The y axis of each kind of progress series. */
const AXES: Readonly<Record<ProgressAxis, { readonly id: string; readonly title: string; readonly position: 'left' | 'right' }>> = {
  mib: { id: 'yMib', title: 'MiB', position: 'left' },
  mibPerSecond: { id: 'yRate', title: 'MiB/s', position: 'right' },
  passes: { id: 'yPasses', title: 'dirty-sync passes', position: 'right' },
};

type Point = { readonly x: number; readonly y: number };

/** Every y axis is this wide, so that the two charts' plot areas line up on the time axis. */
export const Y_AXIS_WIDTH = 58;

/** The progress axes a model uses (the during chart pads its right side by the right ones). */
function usedAxes(model: MigrationViewModel): Set<ProgressAxis> {
  return new Set(model.progress.filter((s) => s.points.length > 0).map((s) => s.axis));
}

function rightAxes(model: MigrationViewModel): number {
  return [...usedAxes(model)].filter((axis) => AXES[axis].position === 'right').length;
}

const fixedWidth = { afterFit: (axis: { width: number }) => void (axis.width = Y_AXIS_WIDTH) };

/**
 * The points with a gap (y NaN, which Chart.js leaves undrawn) wherever a stream paused for more
 * than two samples — a stream that broke and started again is not drawn across the break.
 */
export function withGaps(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  points.forEach((p, i) => {
    const previous = points[i - 1];
    if (previous !== undefined && p.x - previous.x > 2.5) out.push({ x: (p.x + previous.x) / 2, y: Number.NaN });
    out.push({ x: p.x, y: p.y });
  });
  return out;
}

/**
 * Draws the bands (shaded, labelled at the top) under the data and the markers (vertical lines,
 * labelled) over it, in x-axis units.
 */
export function timeAnnotationsPlugin<T extends 'line'>(markers: readonly TimeMarker[], bands: readonly TimeBand[], palette: Palette): Plugin<T> {
  const colorOf = (kind: TimeMarker['kind']): string => (kind === 'switchover' ? palette.accent : kind === 'break' ? (palette.series[4] ?? palette.accent) : palette.muted);
  return {
    id: 'qemuLabTimeAnnotations',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (x === undefined) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      bands.forEach((band, index) => {
        const left = Math.max(chartArea.left, x.getPixelForValue(band.from));
        const right = Math.min(chartArea.right, x.getPixelForValue(band.to));
        if (right <= left) return;
        ctx.fillStyle = palette.grid;
        ctx.globalAlpha = index % 2 === 0 ? 0.35 : 0.6;
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
        ctx.globalAlpha = 1;
        ctx.fillStyle = palette.muted;
        ctx.font = `11px ${palette.fontFamily}`;
        ctx.fillText(band.label, left + 3, chartArea.top + 11);
      });
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (x === undefined) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = `11px ${palette.fontFamily}`;
      const shown = markers.map((marker) => ({ marker, px: x.getPixelForValue(marker.x) })).filter(({ px }) => px >= chartArea.left && px <= chartArea.right);
      shown.sort((a, b) => a.px - b.px);
      const placed = placeMarkerLabels(
        shown.map(({ marker, px }) => ({ px, width: ctx.measureText(marker.label).width })),
        chartArea.left,
        chartArea.right,
      );
      shown.forEach(({ marker, px }, index) => {
        ctx.strokeStyle = colorOf(marker.kind);
        ctx.setLineDash(marker.kind === 'phase' ? [3, 3] : []);
        ctx.lineWidth = marker.kind === 'phase' ? 1 : 2;
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        ctx.fillStyle = colorOf(marker.kind);
        // Rows and sides chosen so that phases a few milliseconds apart stay readable.
        const label = placed[index] ?? { x: px + 3, row: 0 };
        ctx.fillText(marker.label, label.x, chartArea.top + 24 + label.row * 12);
      });
      ctx.restore();
    },
  };
}

const xScale = (model: MigrationViewModel, palette: Palette) => ({
  type: 'linear' as const,
  min: model.xMin,
  max: model.xMax,
  title: { display: true, text: 'seconds', color: palette.muted },
  ticks: { color: palette.foreground },
  grid: { color: palette.grid },
});

/** The migration's quantities over time. */
export function migrationChartConfig(model: MigrationViewModel, palette: Palette): ChartConfiguration<'line', Point[]> {
  const used = usedAxes(model);
  const scales: Record<string, object> = { x: xScale(model, palette) };
  for (const axis of used) {
    const spec = AXES[axis];
    scales[spec.id] = {
      type: 'linear',
      position: spec.position,
      beginAtZero: true,
      title: { display: true, text: spec.title, color: palette.muted },
      ticks: { color: palette.foreground, callback: (value: number | string) => shortNumber(Number(value)), ...(axis === 'passes' ? { precision: 0 } : {}) },
      // One grid (the first axis's) is enough.
      grid: { color: palette.grid, drawOnChartArea: axis === 'mib' || !used.has('mib') },
      ...fixedWidth,
    };
  }
  return {
    type: 'line',
    data: {
      datasets: model.progress.map((series, index) => {
        const color = palette.series[index % palette.series.length] ?? palette.foreground;
        return {
          label: series.label,
          data: series.points.map((p) => ({ x: p.x, y: p.y })),
          yAxisID: AXES[series.axis].id,
          borderColor: color,
          backgroundColor: color,
          pointRadius: series.points.length > 60 ? 0 : 2,
          borderWidth: 2,
          tension: 0,
          // Passes count up in steps; the other quantities are samples.
          stepped: series.axis === 'passes' ? ('before' as const) : false,
          hidden: series.points.length === 0,
        };
      }),
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      parsing: false,
      plugins: {
        title: chartTitle('Migration: remaining RAM, dirty rate, throughput, dirty-sync passes', palette),
        legend: { labels: { color: palette.foreground } },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => `${items[0]?.parsed.x ?? ''} s`,
            label: (item: TooltipItem<'line'>) => `${model.progress[item.datasetIndex]?.label ?? ''}: ${shortNumber(item.parsed.y ?? 0)}`,
          },
        },
      },
      scales,
    },
    plugins: [backgroundPlugin<'line'>(palette.background), timeAnnotationsPlugin<'line'>(model.markers, model.bands, palette)],
  };
}

/** The `--during` benchmarks as % of their baseline median, on the migration's time axis. */
export function duringChartConfig(model: MigrationViewModel, palette: Palette): ChartConfiguration<'line', Point[]> {
  const labels = [...new Set(model.during.map((s) => s.label.replace(/ · (baseline|during)$/, '')))];
  return {
    type: 'line',
    data: {
      datasets: model.during.map((series) => {
        const base = series.label.replace(/ · (baseline|during)$/, '');
        const color = palette.series[labels.indexOf(base) % palette.series.length] ?? palette.foreground;
        return {
          label: series.label,
          data: withGaps(series.points),
          borderColor: color,
          backgroundColor: color,
          // The baseline dashed: the same colour says which benchmark, the dash says "no migration".
          borderDash: series.run === 'baseline' ? [6, 4] : [],
          pointRadius: 2,
          borderWidth: 2,
          tension: 0,
          // A stream that broke and started again must not be drawn across the gap.
          spanGaps: false,
        };
      }),
    },
    options: {
      ...PANEL_CHART_LAYOUT,
      parsing: false,
      // Room for the migration chart's right axes: both plot areas span the same pixels.
      layout: { padding: { right: rightAxes(model) * Y_AXIS_WIDTH } },
      plugins: {
        title: chartTitle('Benchmarks around the migration (% of their baseline median)', palette),
        legend: { labels: { color: palette.foreground } },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => `${items[0]?.parsed.x ?? ''} s`,
            label: (item: TooltipItem<'line'>) => {
              const series = model.during[item.datasetIndex];
              const point = series?.points[item.dataIndex];
              return series === undefined || point === undefined ? '' : `${series.label}: ${shortNumber(point.value)} ${series.unit} (${point.y}%)`;
            },
          },
        },
      },
      scales: {
        x: xScale(model, palette),
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: '% of baseline', color: palette.muted },
          ticks: { color: palette.foreground },
          grid: { color: palette.grid },
          ...fixedWidth,
        },
      },
    },
    plugins: [backgroundPlugin<'line'>(palette.background), timeAnnotationsPlugin<'line'>(model.markers, model.bands, palette)],
  };
}
