/**
 * The use case "run the lab and write its report" (`qemu-lab run`, `npm run lab`): the chosen
 * parts one after another ({@link runParts} over the real runners), the lab run's record updated
 * after each part (a run cancelled or killed half-way keeps what finished), then one report — Markdown with
 * its SVG charts, and HTML — from every part's stored records, the parts not rerun included.
 */
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../infrastructure/files/atomic-write';
import { pathInside } from '../infrastructure/files/safe-name';
import type { LabModel } from '../lab/model';
import { readRunLog, type RunLog } from '../measuring/experiments/run-log';
import { readResults, type StoreProblem } from '../measuring/results/store';
import { readMigrationRecords } from '../migration/store';
import type { UpDependencies } from '../machines/vm/up';
import type { PartOutcome } from './outcome';
import { labPartRunner } from './part-runners';
import type { LabPart } from './parts';
import { renderLabReport } from './report';
import { runParts, type LabRunProgress } from './run-parts';
import { mergeOutcomes, readLabRunState, writeLabRunState, type LabRunState } from './state';

export interface RunLabOptions {
  /** Every part of the lab, in order (the report's sections). */
  readonly parts: readonly LabPart[];
  /** The parts to run now (`--only`): all of `parts` by default. */
  readonly run?: readonly LabPart[];
  readonly runs?: number;
  /** Where the report goes (default `.qemu-lab/reports/` next to the lab file). */
  readonly outputDirectory?: string;
  readonly stateRoot: string;
  readonly remoteStateRoot?: string;
  /** How long each benchmark of a COLO pair's cost runs, each time. */
  readonly coloCostSeconds?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LabRunProgress) => void;
  readonly onPart?: (outcome: PartOutcome) => void;
  /** Lines of the stores that were skipped as unreadable. */
  readonly onStoreProblem?: (problem: StoreProblem) => void;
}

/** What was run and written. */
export interface LabRunDone {
  readonly outcomes: readonly PartOutcome[];
  readonly markdownPath: string;
  readonly htmlPath: string;
  readonly statePath: string;
}

/** The report's file names in its folder. */
export const REPORT_NAMES = { markdown: 'lab-report.md', html: 'lab-report.html', charts: 'charts' } as const;

/** Writes the report of the lab's stored state; returns the two paths. */
export async function writeLabReport(lab: LabModel, parts: readonly LabPart[], state: LabRunState, outputDirectory: string, onStoreProblem?: (problem: StoreProblem) => void): Promise<{ markdownPath: string; htmlPath: string }> {
  const labDir = dirname(lab.path);
  const { records, problems } = await readResults(labDir);
  for (const problem of problems) onStoreProblem?.(problem);
  const runLogs = new Map<string, RunLog>();
  for (const outcomes of Object.values(state.parts)) {
    for (const o of outcomes) {
      if (o.result?.kind !== 'experiment') continue;
      const log = await readRunLog(labDir, o.result.runId);
      if (log !== undefined) runLogs.set(o.result.runId, log);
    }
  }
  const migrations = await readMigrationRecords(labDir);
  const report = renderLabReport({ labPath: lab.path, parts, state, results: records, runLogs, migrations, writtenAt: new Date().toISOString() }, REPORT_NAMES.charts);
  for (const file of report.files) await writeFileAtomically(pathInside(outputDirectory, file.path), file.content);
  const markdownPath = join(outputDirectory, REPORT_NAMES.markdown);
  const htmlPath = join(outputDirectory, REPORT_NAMES.html);
  await writeFileAtomically(markdownPath, report.markdown);
  await writeFileAtomically(htmlPath, report.html);
  return { markdownPath, htmlPath };
}

/**
 * Runs `options.run` (default every part) `options.runs` times, keeps each outcome in the lab
 * run's record as it lands, and writes the report. Throws only when the record cannot be read
 * (before anything runs) or the run is cancelled (what finished is kept).
 */
export async function runLab(lab: LabModel, deps: UpDependencies, options: RunLabOptions): Promise<LabRunDone> {
  const labDir = dirname(lab.path);
  const keys = options.parts.map((p) => p.key);
  const before = await readLabRunState(labDir);
  let state = before;
  let statePath = '';
  const finished: PartOutcome[] = [];
  // The record is written after each part, one write after the other, so a run that dies
  // half-way (killed, the machine down) keeps every part that finished.
  let written: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const snapshot = mergeOutcomes(before, finished, keys);
    written = written.then(async () => {
      statePath = await writeLabRunState(labDir, snapshot);
      state = snapshot;
    });
    return written;
  };
  const outcomes = await runParts(options.run ?? options.parts, labPartRunner({ lab, deps, stateRoot: options.stateRoot, remoteStateRoot: options.remoteStateRoot, coloCostSeconds: options.coloCostSeconds }), {
    runs: options.runs,
    signal: options.signal,
    onProgress: options.onProgress,
    onPart: (outcome) => {
      finished.push(outcome);
      options.onPart?.(outcome);
      // A failed write is reported where the run ends (the last write below fails the same way).
      save().catch(() => undefined);
    },
  }).finally(save);
  const outputDirectory = options.outputDirectory ?? join(labDir, '.qemu-lab', 'reports');
  const { markdownPath, htmlPath } = await writeLabReport(lab, options.parts, state, outputDirectory, options.onStoreProblem);
  return { outcomes, markdownPath, htmlPath, statePath };
}
