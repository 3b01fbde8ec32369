/**
 * `--during` results as text for people: one line per benchmark with its medians before,
 * while and after migrating, next to its baseline.
 */
import { formatBitsPerSecond, threeDigits } from '../../measuring/workloads/text';
import { formatSize } from '../../lab/sizes';
import { compareDuring, type DuringComparison } from './compare';
import type { DuringUnit, MigrationTimeline } from './timeline';

/** A rate in its unit: `4461 events/s`, `6.82 GiB/s`, `943 Mbit/s`. */
export function formatRate(value: number | undefined, unit: DuringUnit): string {
  if (value === undefined) return '-';
  if (unit === 'bits/s') return formatBitsPerSecond(value);
  if (unit === 'bytes/s') return `${formatSize(Math.round(value))}/s`;
  return `${threeDigits(value)} events/s`;
}

function percent(ratio: number | undefined): string {
  if (ratio === undefined) return '';
  const change = Math.round((ratio - 1) * 100);
  return ` (${change >= 0 ? '+' : '−'}${Math.abs(change)}%)`;
}

function line(c: DuringComparison): string {
  const parts = [
    `baseline ${formatRate(c.baseline, c.unit)}`,
    `before ${formatRate(c.before, c.unit)}`,
    `migrating ${formatRate(c.migrating, c.unit)}${percent(c.migratingRatio)}`,
    `after ${formatRate(c.after, c.unit)}`,
  ];
  const breaks = c.breaks.map((b) => `${b.kind} at ${(b.t / 1000).toFixed(1)} s (${b.reason})`);
  return `  ${c.label} on ${c.host}: ${parts.join(' · ')}${breaks.length > 0 ? `; stream ${breaks.join('; ')}` : ''}`;
}

/** The `--during` part of the CLI's output, or undefined without benchmarks. */
export function formatDuring(timeline: MigrationTimeline): string | undefined {
  const comparisons = compareDuring(timeline);
  if (comparisons.length === 0) return undefined;
  const head = `Benchmarks (median of per-second samples; baseline ${timeline.plan?.seconds ?? '?'} s without migration just before):`;
  return [head, ...comparisons.map(line)].join('\n');
}
