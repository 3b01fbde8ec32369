/**
 * The progress of an experiment run from the editor, as the results panel shows it (and the
 * command's notification words its time left). Pure.
 */
import type { CellOutcome, ExperimentProgress } from '../../../core/measuring/experiments/runner';
import type { NotDoneView, RunProgressView } from '../../../../webview/results/model';

/** Seconds left, for people: `about 40 s left`, `about 12 min left`, `about 2 h 5 min left`. */
export function formatEta(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** A cell that ended without measurements, for the panel; undefined for a measured cell. */
export function notDoneOf(outcome: CellOutcome): NotDoneView | undefined {
  return outcome.status === 'done' ? undefined : { cell: outcome.cell.id, status: outcome.status, reason: outcome.reason };
}

/** The progress of a run going on, for the panel. */
export function progressView(experiment: string, progress: ExperimentProgress, notDone: readonly NotDoneView[]): RunProgressView {
  const eta = formatEta(progress.etaSeconds);
  return {
    experiment,
    done: progress.done,
    planned: progress.planned,
    ...(eta === undefined ? {} : { eta }),
    message: progress.message,
    notDone: [...notDone],
  };
}
