/**
 * How an experiment's cells and runs are worded, the same in the CLI (`qemu-lab bench`) and the
 * editor's log and notifications ("Run Experiment").
 */
import type { OutcomeCounts } from '../../core/measuring/experiments/run-and-log';
import type { CellOutcome } from '../../core/measuring/experiments/runner';
import { shortNumber } from '../../core/measuring/reports/svg-chart';

/** `median 1.23k (min 1.2k, max 1.3k, n=5, CV 1.4%)`, or `skipped: why` / `failed: why`. */
export function outcomeWords(outcome: CellOutcome): string {
  if (outcome.status !== 'done') return `${outcome.status}: ${outcome.reason}`;
  const s = outcome.summary;
  const cv = s.cv === undefined ? '' : `, CV ${(s.cv * 100).toFixed(1)}%`;
  return `median ${shortNumber(s.median)} (min ${shortNumber(s.min)}, max ${shortNumber(s.max)}, n=${s.count}${cv})`;
}

/** `3 cells measured, 1 skipped, 1 failed` (the counts that are not zero, beyond the measured). */
export function countsWords(counts: OutcomeCounts): string {
  const { done, skipped, failed } = counts;
  return `${done} cell${done === 1 ? '' : 's'} measured${skipped > 0 ? `, ${skipped} skipped` : ''}${failed > 0 ? `, ${failed} failed` : ''}`;
}
