/**
 * Chart.js in the webview: only the controllers, elements, scales and plugins the panel uses are
 * registered (the rest is tree-shaken out of dist/webview.js). Error bars and the background are
 * small plugins of our own (chart-config.ts).
 */
// tsc checks this file under the root tsconfig's Node16/CommonJS rules, which refuse a static
// import of the ESM-only chart.js; esbuild bundles webview/ as ESM for the browser, where it is right.
// @ts-expect-error TS1479 (CommonJS importing ESM) does not apply to the browser bundle
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, SubTitle, Title, Tooltip, type ChartConfiguration } from 'chart.js';
import { barChartConfig, historyChartConfig } from './chart-config';
import type { Palette } from './theme';
import type { ChartSlot } from './view';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, SubTitle, Title, Tooltip);

/** The charts drawn on the panel, by id; destroyed before each new render. */
export class PanelCharts {
  private readonly charts = new Map<string, Chart>();

  /** Draws a chart on each slot, replacing the charts drawn before. */
  draw(slots: readonly ChartSlot[], palette: Palette): void {
    this.destroy();
    Chart.defaults.font.family = palette.fontFamily;
    Chart.defaults.color = palette.foreground;
    for (const slot of slots) this.drawOne(slot, palette);
  }

  /** Draws (again) the chart of one slot, replacing the chart of that id only. */
  drawOne(slot: ChartSlot, palette: Palette): void {
    this.charts.get(slot.id)?.destroy();
    const chart = slot.kind === 'bar' ? new Chart(slot.canvas, barChartConfig(slot.view, palette)) : new Chart(slot.canvas, historyChartConfig(slot.history, palette));
    this.charts.set(slot.id, chart);
  }

  /**
   * Draws (again) a chart from a ready configuration (the migration panel's), replacing the
   * chart of that id only.
   */
  drawConfig(id: string, canvas: HTMLCanvasElement, config: ChartConfiguration<'line', { x: number; y: number }[]>, palette: Palette): void {
    this.charts.get(id)?.destroy();
    Chart.defaults.font.family = palette.fontFamily;
    Chart.defaults.color = palette.foreground;
    this.charts.set(id, new Chart(canvas, config));
  }

  /** The same for a bar chart with multi-line category labels (the migration panel's "Compare settings"). */
  drawBarConfig(id: string, canvas: HTMLCanvasElement, config: ChartConfiguration<'bar', number[], string[]>, palette: Palette): void {
    this.charts.get(id)?.destroy();
    Chart.defaults.font.family = palette.fontFamily;
    Chart.defaults.color = palette.foreground;
    this.charts.set(id, new Chart(canvas, config));
  }

  /** The chart as a PNG data URL, or undefined when no chart has that id. */
  png(chartId: string): string | undefined {
    const url: unknown = this.charts.get(chartId)?.toBase64Image('image/png', 1);
    return typeof url === 'string' ? url : undefined;
  }

  destroy(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
  }
}
