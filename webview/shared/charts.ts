/**
 * Chart.js in the webviews: only the controllers, elements, scales and plugins the panels use
 * are registered (the rest is tree-shaken out of the bundles). Error bars and the background are
 * small plugins of our own (chart-plugins.ts); each panel builds its configurations
 * (webview/<panel>/chart-config.ts) and hands them here to draw.
 */
// tsc checks this file under the root tsconfig's Node16/CommonJS rules, which refuse a static
// import of the ESM-only chart.js; esbuild bundles webview/ as ESM for the browser, where it is right.
// @ts-expect-error TS1479 (CommonJS importing ESM) does not apply to the browser bundle
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LogarithmicScale, LineElement, PointElement, SubTitle, Title, Tooltip, type ChartConfiguration, type ChartType } from 'chart.js';
import type { Palette } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, Legend, SubTitle, Title, Tooltip);

/** A chart to draw: its id (for PNG export and redraws), its canvas and its configuration. */
export interface ChartDrawing<TType extends ChartType = ChartType, TData = unknown, TLabel = unknown> {
  readonly id: string;
  readonly canvas: HTMLCanvasElement;
  readonly config: ChartConfiguration<TType, TData, TLabel>;
}

/** What the panel does with a chart once drawn, whatever its type. */
interface DrawnChart {
  destroy(): void;
  toBase64Image(type?: string, quality?: unknown): string;
}

/** The charts drawn on a panel, by id. */
export class PanelCharts {
  private readonly charts = new Map<string, DrawnChart>();

  /** Draws every chart of a render, destroying all the charts drawn before. */
  drawAll(drawings: readonly ChartDrawing[], palette: Palette, onError: (id: string, error: unknown) => void): void {
    this.destroy();
    for (const drawing of drawings) this.draw(drawing, palette, onError);
  }

  /** Draws (again) one chart, replacing the chart of that id only; a chart that fails is reported, the others drawn. */
  draw<TType extends ChartType, TData, TLabel>(drawing: ChartDrawing<TType, TData, TLabel>, palette: Palette, onError: (id: string, error: unknown) => void): void {
    this.charts.get(drawing.id)?.destroy();
    this.charts.delete(drawing.id);
    try {
      Chart.defaults.font.family = palette.fontFamily;
      Chart.defaults.color = palette.foreground;
      this.charts.set(drawing.id, new Chart(drawing.canvas, drawing.config));
    } catch (error) {
      onError(drawing.id, error);
    }
  }

  /** The chart as a PNG data URL, or undefined when no chart has that id. */
  png(chartId: string): string | undefined {
    const url: unknown = this.charts.get(chartId)?.toBase64Image('image/png', 1);
    return typeof url === 'string' ? url : undefined;
  }

  /** Destroys every chart (before a render without charts). */
  destroy(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
  }
}
