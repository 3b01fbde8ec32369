/** One bar: a median with its spread. */
export interface ChartBar {
  readonly label: string;
  readonly median: number;
  /** The error bar: min and max of the runs (or median ± stdDev — the caller says which). */
  readonly low: number;
  readonly high: number;
}

/** A bar chart of one benchmark: one bar per configuration. */
export interface BarChart {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly ChartBar[];
  /** Written on the chart, e.g. "KVM 9.6× faster than TCG". */
  readonly notes: readonly string[];
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { top: 56, right: 20, bottom: 64, left: 80 };
const COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#f97316', '#64748b'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** 1234567 → "1.23M": axis labels that fit. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  for (const [limit, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (abs >= limit) return `${(value / limit).toPrecision(3)}${suffix}`;
  }
  return abs >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/**
 * Draws a bar chart as a standalone SVG (no script, no external font): it shows in a Markdown
 * report, an HTML report, and on GitHub alike. Error bars span `low`–`high`.
 */
export function renderBarChartSvg(chart: BarChart): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(...chart.bars.map((b) => b.high), ...chart.bars.map((b) => b.median), 0) * 1.1 || 1;
  const y = (v: number) => MARGIN.top + plotHeight - (v / top) * plotHeight;
  const slot = plotWidth / Math.max(1, chart.bars.length);
  const barWidth = Math.min(80, slot * 0.6);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  chart.notes.slice(0, 2).forEach((note, i) => {
    parts.push(`<text x="${WIDTH / 2}" y="${38 + i * 14}" text-anchor="middle" fill="#b45309">${escapeXml(note)}</text>`);
  });
  for (let i = 0; i <= 4; i += 1) {
    const value = (top / 4) * i;
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#374151">${shortNumber(value)}</text>`);
  }
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${escapeXml(chart.unit)}</text>`);
  chart.bars.forEach((bar, i) => {
    const cx = MARGIN.left + slot * i + slot / 2;
    const color = COLORS[i % COLORS.length];
    parts.push(`<rect x="${cx - barWidth / 2}" y="${y(bar.median)}" width="${barWidth}" height="${Math.max(0, y(0) - y(bar.median))}" fill="${color}"/>`);
    parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(bar.low)}" y2="${y(bar.high)}" stroke="#111827" stroke-width="1.5"/>`);
    for (const v of [bar.low, bar.high]) parts.push(`<line x1="${cx - 8}" x2="${cx + 8}" y1="${y(v)}" y2="${y(v)}" stroke="#111827" stroke-width="1.5"/>`);
    parts.push(`<text x="${cx}" y="${y(bar.high) - 6}" text-anchor="middle" fill="#111827">${shortNumber(bar.median)}</text>`);
    parts.push(`<text x="${cx}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle" fill="#111827">${escapeXml(bar.label)}</text>`);
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#111827"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT - 12}" text-anchor="middle" fill="#6b7280">bars: median · whiskers: min–max of the runs</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
