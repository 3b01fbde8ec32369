/**
 * The comparison of stored migrations across settings as a table: Markdown for people (what
 * `qemu-lab report --migrations` prints), CSV with raw numbers (milliseconds, bytes) for
 * spreadsheets. One row per settings group; the attempts that did not complete follow the
 * Markdown table with their reason.
 */
import { formatDuration } from '../../migration/format';
import { formatSize } from '../../lab/sizes';
import type { MigrationComparison, Spread } from './migration-comparison';

/** A time spread: `850 ms`, or `1.2 s (850 ms–3.1 s)` over several runs; `–` without runs. */
export function formatTimeSpread(value: Spread | undefined): string {
  if (value === undefined) return '–';
  if (value.count === 1) return formatDuration(value.median);
  return `${formatDuration(value.median)} (${formatDuration(value.min)}–${formatDuration(value.max)})`;
}

/** A downtime spread in whole milliseconds: `36 ms (20–109 ms)`. */
export function formatDowntimeSpread(value: Spread | undefined): string {
  if (value === undefined) return '–';
  const ms = (v: number): string => `${Math.round(v)} ms`;
  return value.count === 1 ? ms(value.median) : `${ms(value.median)} (${Math.round(value.min)}–${ms(value.max)})`;
}

/** A byte spread: `98.4M (97.7M–98.9M)`. */
export function formatBytesSpread(value: Spread | undefined): string {
  if (value === undefined) return '–';
  const b = (v: number): string => formatSize(Math.round(v));
  return value.count === 1 ? b(value.median) : `${b(value.median)} (${b(value.min)}–${b(value.max)})`;
}

/** `2026-11-26T01:08:18.049Z` → `2026-11-26 01:08:18 UTC`: when a stored migration ended, for people. */
export function formatStoredTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** A Markdown cell: `|` would end it early, a newline would end the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * The comparisons (one per VM) in Markdown: per VM a table of medians (min–max when several
 * runs), then the attempts that did not complete with their reason.
 */
export function renderMigrationComparisonMarkdown(comparisons: readonly MigrationComparison[]): string {
  const lines: string[] = ['# Migrations compared across settings', '', 'Medians of the completed migrations (min–max when there are several); failed and cancelled attempts are counted and listed, not included in the numbers.', ''];
  for (const c of comparisons) {
    lines.push(`## ${c.vm}`, '', '| Settings | Completed | Total time | Downtime | RAM transferred | Failed | Cancelled |', '|---|---|---|---|---|---|---|');
    for (const g of c.groups) {
      lines.push(`| ${cell(g.label)} | ${g.completed} | ${formatTimeSpread(g.totalTimeMs)} | ${formatDowntimeSpread(g.downtimeMs)} | ${formatBytesSpread(g.transferredBytes)} | ${g.failed} | ${g.cancelled} |`);
    }
    lines.push('');
    if (c.notCompleted.length > 0) {
      lines.push('Not completed:', '', ...c.notCompleted.map((n) => `- ${formatStoredTime(n.timestamp)} ${cell(n.settingsLabel)}: ${n.status} in ${n.phase} — ${cell(n.reason)}`), '');
    }
  }
  return lines.join('\n');
}

function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value;
  // A leading = + - @ starts a spreadsheet formula: quote it away.
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const SPREAD_COLUMNS = ['median', 'min', 'max'] as const;

/** The comparisons as CSV: one row per VM and settings group, raw numbers (ms, bytes). */
export function renderMigrationComparisonCsv(comparisons: readonly MigrationComparison[]): string {
  const quantities = ['total_time_ms', 'downtime_ms', 'transferred_bytes'];
  const header = [
    'vm',
    'settings',
    'capabilities',
    'max_bandwidth_bytes_per_second',
    'downtime_limit_ms',
    'xbzrle_cache_bytes',
    'multifd_channels',
    'completed',
    'failed',
    'cancelled',
    ...quantities.flatMap((q) => SPREAD_COLUMNS.map((s) => `${q}_${s}`)),
  ];
  const rows = comparisons.flatMap((c) =>
    c.groups.map((g) => {
      const spreads = [g.totalTimeMs, g.downtimeMs, g.transferredBytes].flatMap((s) => SPREAD_COLUMNS.map((k) => s?.[k]));
      return [
        c.vm,
        g.label,
        [...g.settings.capabilities].sort().join(' '),
        g.settings.maxBandwidthBytesPerSecond,
        g.settings.downtimeLimitMs,
        g.settings.xbzrleCacheBytes,
        g.settings.multifdChannels,
        g.completed,
        g.failed,
        g.cancelled,
        ...spreads,
      ]
        .map(field)
        .join(',');
    }),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
