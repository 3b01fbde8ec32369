import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../infrastructure/files/atomic-write';
import { safeFileName } from '../../infrastructure/files/safe-name';
import { resultsDirectory } from '../results/store';
import type { ExperimentRun } from './runner';

/**
 * What the result store cannot say by itself about a run: its plan, and the cells that were
 * skipped or failed, with why. One JSON file per run beside results.jsonl, written atomically.
 */
export interface RunLog {
  readonly runId: string;
  readonly experiment: string;
  readonly labPath: string;
  readonly finishedAt: string;
  readonly network: string;
  readonly repetitions: number;
  readonly durationSeconds: number;
  readonly notDone: readonly { readonly cell: string; readonly status: 'skipped' | 'failed'; readonly reason: string }[];
}

function runLogPath(labDirectory: string, runId: string): string {
  // A run id read back from results.jsonl is data: it names a file in runs/, nothing else.
  return join(resultsDirectory(labDirectory), 'runs', `${safeFileName(runId, 'run')}.json`);
}

/** Saves the log of a finished run. */
export async function writeRunLog(labDirectory: string, run: ExperimentRun, labPath: string, settings: { repetitions: number; durationSeconds: number }): Promise<void> {
  const log: RunLog = {
    runId: run.runId,
    experiment: run.plan.experiment.name,
    labPath,
    finishedAt: new Date().toISOString(),
    network: run.plan.network,
    ...settings,
    notDone: run.outcomes.flatMap((o) => (o.status === 'done' ? [] : [{ cell: o.cell.id, status: o.status, reason: o.reason }])),
  };
  const path = runLogPath(labDirectory, run.runId);
  await writeFileAtomically(path, JSON.stringify(log, null, 2) + '\n');
}

/** The log of a run, or undefined when there is none (an interrupted run, or imported results). */
export async function readRunLog(labDirectory: string, runId: string): Promise<RunLog | undefined> {
  try {
    return JSON.parse(await readFile(runLogPath(labDirectory, runId), 'utf8')) as RunLog;
  } catch {
    return undefined;
  }
}
