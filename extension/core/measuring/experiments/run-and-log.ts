/**
 * The use case "run an experiment and log the run", as both the CLI (`qemu-lab bench`) and the
 * editor ("Run Experiment") run it: {@link runExperiment} (every measured run stored as it lands;
 * progress and cells to the callbacks), then the run log beside the results (plan, skipped and
 * failed cells, the repetitions and duration in effect). The caller only presents.
 */
import { dirname } from 'node:path';
import type { LabModel } from '../../lab/model';
import type { UpDependencies } from '../../machines/vm/up';
import { writeRunLog } from './run-log';
import { runExperiment, type CellOutcome, type ExperimentRun, type RunExperimentOptions } from './runner';

/** A finished run, and whether its log was written (the measured runs are stored either way). */
export interface LoggedExperimentRun {
  readonly run: ExperimentRun;
  readonly runLog: { readonly kind: 'written' } | { readonly kind: 'failed'; readonly error: unknown };
}

/** How many cells ended each way. */
export interface OutcomeCounts {
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
}

/** Counts the cells of a run by how they ended. */
export function countOutcomes(outcomes: readonly CellOutcome[]): OutcomeCounts {
  const count = (status: CellOutcome['status']): number => outcomes.filter((o) => o.status === status).length;
  return { done: count('done'), skipped: count('skipped'), failed: count('failed') };
}

/**
 * Runs experiment `name` of `lab` ({@link runExperiment}: throws when cancelled or when it cannot
 * start), then writes its run log with the repetitions and duration in effect (the overrides in
 * `options`, else the experiment's). A failure to write the log is in `runLog`, not thrown.
 */
export async function runAndLogExperiment(lab: LabModel, name: string, deps: UpDependencies, options: RunExperimentOptions = {}): Promise<LoggedExperimentRun> {
  const run = await runExperiment(lab, name, deps, options);
  const experiment = lab.experiments.get(name);
  try {
    await writeRunLog(dirname(lab.path), run, lab.path, {
      repetitions: options.repetitions ?? experiment?.repetitions ?? 0,
      durationSeconds: options.durationSeconds ?? experiment?.durationSeconds ?? 0,
    });
    return { run, runLog: { kind: 'written' } };
  } catch (error) {
    return { run, runLog: { kind: 'failed', error } };
  }
}
