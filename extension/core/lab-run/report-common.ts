/**
 * What every section of the lab report shares: its headings and anchors, the line a part that
 * did not run gets, and the spread between whole runs.
 */
import { headingAnchor } from '../measuring/reports/html';
import { shortNumber } from '../measuring/reports/svg-chart';
import type { PartOutcome } from './outcome';

/** A chart or other file written beside the report. */
export interface ReportFile {
  readonly path: string;
  readonly content: string;
}

/** A section's Markdown lines and the files it refers to. */
export interface ReportSection {
  readonly lines: readonly string[];
  readonly files: readonly ReportFile[];
}

/** The heading of a part's records table, and a link to it: `[E1](#records-experiment-kvm-vs-tcg)`. */
export function recordsHeading(key: string): string {
  return `Records: ${key}`;
}
export function recordsLink(ref: string, key: string): string {
  return `[${ref}](#${headingAnchor(recordsHeading(key))})`;
}

/** Text from a stored record or a guest, made safe for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/[|\n\r`*[\]]/g, ' ').trim();
}

/** The lines of a part that did not run (or failed) in a run: the reason, as said. */
export function notRunLines(outcome: PartOutcome): string[] {
  const what = outcome.status === 'skipped' ? 'Not run here' : 'Failed';
  return [`> ${what} (run ${outcome.run}, ${cell(outcome.startedAt)}): ${(outcome.reason ?? 'no reason recorded').replace(/\s+/g, ' ').trim()}`, ''];
}

/** The spread of one figure over whole runs: `min–max (±x % of the mean)`; undefined with fewer than two. */
export function spreadWords(values: readonly number[], unit: string): string | undefined {
  if (values.length < 2) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const percent = mean === 0 ? 0 : ((max - min) / 2 / mean) * 100;
  return `${shortNumber(min)}–${shortNumber(max)} ${unit} (±${percent.toFixed(1)} % of the mean)`;
}
