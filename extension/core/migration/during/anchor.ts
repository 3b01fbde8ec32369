/**
 * Where a benchmark's own clock starts on the migration's axis. sysbench and iperf3 stamp each
 * interval with the time since they started; a guest's output is read later than it is written
 * (through SSH, or after the session broke at the switch-over), so arrival times alone would
 * bunch up. We place every interval at `anchor + its own time`, with the anchor estimated from
 * the lines that did arrive live: a line arrives at or after the moment it was written, so
 * `arrival − interval end` is never before the true start, and its minimum is the closest.
 */

/** What is known about one run's start. */
export interface AnchorEvidence {
  /** When the command that started it was sent (it cannot have started before). */
  readonly launchedMs: number;
  /** When that command returned (the process existed then; its clock may start a bit later). */
  readonly launchReturnedMs: number;
  /** `arrival − relMs` of every interval seen as it was written. */
  readonly liveOffsets: readonly number[];
  /**
   * A time by which the last interval had surely been written (when it was stopped, or seen to
   * have ended), and that interval's own time: the clock cannot have started after their
   * difference. This matters when every line arrives late by the same amount — busybox
   * `tail -f` in the guest reads once a second, in step with sysbench's one-second reports.
   */
  readonly lastWrite?: { readonly byMs: number; readonly relMs: number };
}

/** The estimated start of the benchmark's clock on the axis. */
export function estimateAnchor(evidence: AnchorEvidence): number {
  const live = evidence.liveOffsets.length === 0 ? evidence.launchReturnedMs : Math.min(...evidence.liveOffsets);
  const latest = evidence.lastWrite === undefined ? live : evidence.lastWrite.byMs - evidence.lastWrite.relMs;
  return Math.max(evidence.launchedMs, Math.min(live, latest));
}
