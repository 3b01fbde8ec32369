/**
 * Runs a lab's parts one after another (every whole run, with `--runs N`), with progress and an
 * ETA for the whole of it. A part that cannot run here, or fails, is recorded with its reason and
 * the rest goes on; only cancelling stops the run.
 */
import { describeError } from '../errors';
import { remainingSeconds, type TimedPart } from './eta';
import type { PartOutcome, PartRunnerResult } from './outcome';
import type { LabPart } from './parts';

/** Runs one part; `note` reports what it is doing (and, when it knows, the seconds it has left). Throws when the part failed. */
export type PartRunner = (part: LabPart, run: number, note: (text: string, secondsLeft?: number) => void, signal: AbortSignal | undefined) => Promise<PartRunnerResult>;

/** Where the run is, for a progress line. */
export interface LabRunProgress {
  /** Parts ended so far, of `total` (every whole run counted). */
  readonly done: number;
  readonly total: number;
  readonly part: LabPart;
  readonly run: number;
  readonly runs: number;
  readonly text: string;
  /** Seconds the whole run has left, by the estimates and how the finished parts compared. */
  readonly etaSeconds: number;
}

export interface RunPartsOptions {
  /** Whole runs of every part (default 1). */
  readonly runs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LabRunProgress) => void;
  /** Each part as it ends. */
  readonly onPart?: (outcome: PartOutcome) => void;
  /** For tests: the clock, in milliseconds. */
  readonly now?: () => number;
}

/**
 * Runs `parts` `runs` times in order through `runner`, returning every outcome. A failed part
 * (its error thrown) is recorded as failed with the error's words; cancelling (the signal)
 * throws at once, the outcomes so far given to `onPart`.
 */
export async function runParts(parts: readonly LabPart[], runner: PartRunner, options: RunPartsOptions = {}): Promise<PartOutcome[]> {
  const runs = options.runs ?? 1;
  const now = options.now ?? Date.now;
  const schedule = Array.from({ length: runs }, (_, r) => parts.map((part) => ({ part, run: r + 1 }))).flat();
  const timed: { estimateSeconds: number; actualSeconds?: number }[] = schedule.map(({ part }) => ({ estimateSeconds: part.estimateSeconds }));
  const outcomes: PartOutcome[] = [];
  for (const [index, { part, run }] of schedule.entries()) {
    options.signal?.throwIfAborted();
    const started = now();
    const progress = (text: string, secondsLeft?: number): void =>
      options.onProgress?.({ done: index, total: schedule.length, part, run, runs, text, etaSeconds: remainingSeconds(timed as readonly TimedPart[], index, (now() - started) / 1000, secondsLeft) });
    progress(`${part.key}: starting`);
    let ended: Pick<PartOutcome, 'status' | 'reason' | 'result'>;
    try {
      const result = await runner(part, run, (text, secondsLeft) => progress(`${part.key}: ${text}`, secondsLeft), options.signal);
      ended = result.status === 'done' ? { status: 'done', result: result.result } : { status: 'skipped', reason: result.reason };
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      ended = { status: 'failed', reason: describeError(error) };
    }
    const seconds = (now() - started) / 1000;
    (timed[index] as { actualSeconds?: number }).actualSeconds = seconds;
    const outcome: PartOutcome = { key: part.key, kind: part.kind, name: part.name, run, startedAt: new Date(started).toISOString(), seconds: Math.round(seconds * 10) / 10, ...ended };
    outcomes.push(outcome);
    options.onPart?.(outcome);
  }
  return outcomes;
}
