/**
 * The during-migration timeline as a standalone SVG line chart (no script, no external font, as
 * `svg-chart.ts`'s bars): one benchmark at one place, its per-second samples over time — the
 * baseline run and the run around the migration — with the migration's span shaded and the
 * switch-over marked, so a reader sees the dip and the recovery the medians sum up.
 */
import { shortNumber } from './svg-chart';

/** One line: samples at seconds on the chart's axis. */
export interface TimelineLine {
  readonly label: string;
  readonly points: readonly { readonly t: number; readonly value: number }[];
}

/** A timeline chart; times in milliseconds on one axis (the migration timeline's). */
export interface TimelineChart {
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly TimelineLine[];
  /** The migration, shaded. */
  readonly migration: { readonly startMs: number; readonly endMs: number } | undefined;
  readonly switchoverMs: number | undefined;
}

const WIDTH = 640;
const HEIGHT = 320;
const MARGIN = { top: 40, right: 20, bottom: 56, left: 80 };
const COLORS = ['#9ca3af', '#3b82f6', '#f59e0b', '#10b981'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Draws the chart; the x axis is seconds from the first sample (or the migration's start). */
export function renderTimelineSvg(chart: TimelineChart): string {
  const all = chart.lines.flatMap((l) => l.points);
  const times = [...all.map((p) => p.t), ...(chart.migration === undefined ? [] : [chart.migration.startMs, chart.migration.endMs])];
  const t0 = times.length === 0 ? 0 : Math.min(...times);
  const t1 = times.length === 0 ? 1 : Math.max(...times);
  const span = t1 - t0 || 1;
  const top = Math.max(0, ...all.map((p) => p.value)) * 1.1 || 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + ((t - t0) / span) * plotWidth;
  const y = (v: number) => MARGIN.top + plotHeight - (v / top) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  if (chart.migration !== undefined) {
    const { startMs, endMs } = chart.migration;
    parts.push(`<rect x="${x(startMs).toFixed(1)}" y="${MARGIN.top}" width="${Math.max(1, x(endMs) - x(startMs)).toFixed(1)}" height="${plotHeight}" fill="#fde68a" opacity="0.5"/>`);
    parts.push(`<text x="${((x(startMs) + x(endMs)) / 2).toFixed(1)}" y="${MARGIN.top + 12}" text-anchor="middle" fill="#92400e">migrating</text>`);
  }
  if (chart.switchoverMs !== undefined) {
    parts.push(`<line x1="${x(chart.switchoverMs).toFixed(1)}" x2="${x(chart.switchoverMs).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
  }
  for (let i = 0; i <= 4; i += 1) {
    const value = (top / 4) * i;
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="#374151">${shortNumber(value)}</text>`);
  }
  for (let i = 0; i <= 4; i += 1) {
    const t = t0 + (span / 4) * i;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle" fill="#374151">${((t - t0) / 1000).toFixed(0)} s</text>`);
  }
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${escapeXml(chart.unit)}</text>`);
  chart.lines.forEach((line, i) => {
    const color = COLORS[i % COLORS.length];
    const sorted = [...line.points].sort((a, b) => a.t - b.t);
    if (sorted.length > 0) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map((p) => `${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`);
    for (const p of sorted) parts.push(`<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" fill="${color}"/>`);
    parts.push(`<rect x="${MARGIN.left + i * 200}" y="${HEIGHT - 18}" width="12" height="4" fill="${color}"/>`);
    parts.push(`<text x="${MARGIN.left + i * 200 + 16}" y="${HEIGHT - 13}" fill="#111827">${escapeXml(line.label)}</text>`);
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#111827"/>`);
  if (chart.switchoverMs !== undefined) parts.push(`<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 13}" text-anchor="end" fill="#dc2626">dashed: switch-over</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
