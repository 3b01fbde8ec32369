/**
 * What the results panel shows of the store: the experiment and run the user asked for, checked
 * against the records (a run that is gone falls back to the newest, which is then followed).
 * Pure.
 */
import type { ResultRecord } from '../../../core/measuring/results/record';
import { experimentRuns } from '../../../core/measuring/experiments/summary';

/** What the user asked to see: an experiment, and a run of it (absent: the newest, following new runs). */
export interface Selection {
  readonly experiment?: string;
  readonly runId?: string;
}

/** A selection checked against the store: what will actually be shown. */
export interface ResolvedSelection {
  readonly experiment: string | undefined;
  readonly runId: string | undefined;
  /** The newest run is shown because no run was picked: a newer run replaces it. */
  readonly followsLatest: boolean;
}

/** Every experiment: the lab's, in its order, then those only the store knows, by name. */
export function experimentNames(records: readonly ResultRecord[], labExperiments: readonly string[]): string[] {
  const stored = [...new Set(records.flatMap((r) => (r.experiment === undefined ? [] : [r.experiment])))].filter((e) => !labExperiments.includes(e)).sort();
  return [...labExperiments, ...stored];
}

/**
 * What to show for a wish: the experiment asked for if it exists (else the first with a stored
 * run, else the lab's first), and the run asked for if it is one of that experiment's (else the
 * newest, following).
 */
export function resolveSelection(records: readonly ResultRecord[], labExperiments: readonly string[], wanted: Selection): ResolvedSelection {
  const names = experimentNames(records, labExperiments);
  const experiment =
    (wanted.experiment !== undefined && names.includes(wanted.experiment) ? wanted.experiment : undefined) ??
    names.find((name) => experimentRuns(records, name).length > 0) ??
    names[0];
  if (experiment === undefined) return { experiment: undefined, runId: undefined, followsLatest: true };
  const runs = experimentRuns(records, experiment);
  const pinned = wanted.experiment === experiment && wanted.runId !== undefined && runs.some((r) => r.runId === wanted.runId);
  return { experiment, runId: pinned ? wanted.runId : runs[0]?.runId, followsLatest: !pinned };
}
