/**
 * The ETA of a whole lab run: what is left of the part running now, plus the estimates of the
 * parts still to come, scaled by how the finished parts compared with their own estimates (a
 * machine twice as slow as planned is likely so for the rest too).
 */

/** One part's estimate and, once it finished, its actual length. */
export interface TimedPart {
  readonly estimateSeconds: number;
  /** Set once the part ended (done, failed or skipped). */
  readonly actualSeconds?: number;
}

/** How far the run's experience may scale the estimates: a skipped part (0 s) must not make the rest look free. */
const SCALE_BOUNDS = { min: 0.5, max: 3 } as const;

/**
 * Seconds left of the run. `parts` are the run's parts in order (every whole run, with `--runs`),
 * `current` the index of the one running now (undefined: none yet, or all done), `elapsed` its
 * seconds so far; `currentLeft`, when the running part knows better (an experiment counts its own
 * runs), what it says it has left.
 */
export function remainingSeconds(parts: readonly TimedPart[], current: number | undefined, elapsed: number, currentLeft?: number): number {
  const finished = parts.filter((p) => p.actualSeconds !== undefined && p.estimateSeconds > 0);
  const estimated = finished.reduce((sum, p) => sum + p.estimateSeconds, 0);
  const actual = finished.reduce((sum, p) => sum + (p.actualSeconds ?? 0), 0);
  const scale = estimated === 0 ? 1 : Math.min(SCALE_BOUNDS.max, Math.max(SCALE_BOUNDS.min, actual / estimated));
  let left = 0;
  parts.forEach((part, i) => {
    if (part.actualSeconds !== undefined) return;
    const expected = part.estimateSeconds * scale;
    if (i !== current) left += expected;
    else left += currentLeft ?? Math.max(0, expected - elapsed);
  });
  return left;
}

/** `1 h 05 min`, `12 min 30 s`, `45 s`: an ETA for people. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}
