/**
 * What every panel's charts share: Chart.js plugins of our own — min–max error bars over bars
 * or line points, the theme's background under the chart (so a PNG export is not transparent) —
 * a few lines each instead of another npm package; and the layout and title every chart has.
 * Pure (types only from Chart.js).
 */
import type { Plugin } from 'chart.js' with { 'resolution-mode': 'import' };
import type { Palette } from './theme';

/** An error bar: the spread of a cell's runs. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

/**
 * Draws error bars (a vertical line with caps) over bars or line points: `ranges[dataset][index]`,
 * null where there is no bar.
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

/** The highest top of the error bars, or undefined when there is none (for the y axis' suggested max). */
export function highest(ranges: readonly (Range | null)[]): number | undefined {
  const highs = ranges.flatMap((r) => (r === null ? [] : [r.high]));
  return highs.length === 0 ? undefined : Math.max(...highs);
}

/** What every panel chart sets: drawn at once (no animation: a redraw must not replay), sized by its box. */
export const PANEL_CHART_LAYOUT = { animation: false, responsive: true, maintainAspectRatio: false } as const;

/** A chart's title, in the theme's foreground. */
export function chartTitle(text: string, palette: Palette): { display: true; text: string; color: string; font: { size: number; weight: 'bold' } } {
  return { display: true, text, color: palette.foreground, font: { size: 14, weight: 'bold' } };
}
