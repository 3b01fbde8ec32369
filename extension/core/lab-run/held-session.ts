/**
 * An SSH session into the guest held open across a migration — the course report's "the network
 * survived" is about sessions, not only about the MAC and address. The session runs a counter in
 * the guest that prints a numbered line five times a second; this side stamps each line as it
 * arrives. A session that survived printed lines before the migration and after it, with no
 * number missing, and was still open when the run closed it; the longest silence between two lines
 * is what the session saw of the switch-over.
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { describeError } from '../errors';
import { runInGuest } from '../machines/guest-access/guest-ssh';
import type { GuestSshEndpoint } from '../machines/vm/vm-record';

/** What the held session saw; stored with the migration part. */
export interface HeldSessionResult {
  /** Lines that came before the migration started. */
  readonly linesBefore: number;
  /** Lines that came after the migration had ended. */
  readonly linesAfter: number;
  /** The longest time between two lines (or from the start of the migration to the first line after it), in ms. */
  readonly longestSilenceMs: number;
  /** Numbers the guest printed that never arrived (0 for a session that went on whole). */
  readonly missingLines: number;
  /** True when the session was still open when the run closed it. */
  readonly openAtEnd: boolean;
  /** How the session ended by itself, when it did (`ssh` exit status and its last words). */
  readonly ended?: string;
}

/** One numbered line as it arrived, on this side's clock. */
export interface SessionLine {
  readonly atMs: number;
  readonly n: number;
}

/** The guest side: a counter printed five times a second (busybox and coreutils `sleep` take fractions). */
const COUNTER = 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done';

/** A held session; {@link HeldSession.close} ends it and says what it saw. */
export interface HeldSession {
  /** Resolves once the first line came (or the session ended, or `timeoutMs` passed): the migration starts after it. */
  started(timeoutMs: number): Promise<void>;
  /** Call when the migration starts and when it has ended. */
  mark(what: 'migration-start' | 'migration-end'): void;
  /**
   * Resolves once `lines` lines came after the migration-end mark (or the session ended, or
   * `timeoutMs` passed). A fixed wait is not enough: the guest's TCP retransmits back off while
   * the switch-over holds its packets, so on a busy host the first line after it can come seconds later.
   * An abort of `signal` ends the wait at once.
   */
  wentOn(lines: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Ends the session (if it is still open) and summarises it. */
  close(): Promise<HeldSessionResult>;
}

/**
 * Summarises a session's lines (pure). `startMs`/`endMs` are the migration's start and end on the
 * same clock as the lines; `endedEarly` is how the session ended by itself, if it did.
 */
export function summarizeHeldSession(lines: readonly SessionLine[], startMs: number | undefined, endMs: number | undefined, endedEarly: string | undefined): HeldSessionResult {
  const linesBefore = startMs === undefined ? 0 : lines.filter((l) => l.atMs < startMs).length;
  const linesAfter = endMs === undefined ? 0 : lines.filter((l) => l.atMs > endMs).length;
  let longestSilenceMs = 0;
  let missingLines = 0;
  for (let i = 1; i < lines.length; i += 1) {
    const a = lines[i - 1] as SessionLine;
    const b = lines[i] as SessionLine;
    longestSilenceMs = Math.max(longestSilenceMs, b.atMs - a.atMs);
    if (b.n > a.n + 1) missingLines += b.n - a.n - 1;
  }
  // A session that fell silent at the switch-over and never spoke again: its silence runs from its last line to the end.
  if (endMs !== undefined && linesAfter === 0 && lines.length > 0) longestSilenceMs = Math.max(longestSilenceMs, endMs - (lines[lines.length - 1] as SessionLine).atMs);
  return { linesBefore, linesAfter, longestSilenceMs: Math.round(longestSilenceMs), missingLines, openAtEnd: endedEarly === undefined, ...(endedEarly === undefined ? {} : { ended: endedEarly }) };
}

/** Reads `tick N` lines out of a stream of output pieces; a line split across pieces is kept until whole. */
export function tickReader(onLine: (n: number) => void): (text: string) => void {
  let pending = '';
  return (text) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^tick (\d{1,12})$/.exec(line.trim());
      if (match !== null) onLine(Number(match[1]));
    }
  };
}

/**
 * Opens the session from `system` (the guest's host before the migration, where its endpoint is
 * reached). It starts at once; lines arrive in the background.
 */
export function holdGuestSession(system: HostSystem, endpoint: GuestSshEndpoint, now: () => number = Date.now): HeldSession {
  const lines: SessionLine[] = [];
  const marks: { start?: number; end?: number } = {};
  const stop = new AbortController();
  let endedEarly: string | undefined;
  let firstLine: (() => void) | undefined;
  const first = new Promise<void>((resolve) => (firstLine = resolve));
  // Set once the ssh run has ended; told of each line and of the end, the one wait in progress.
  let over = false;
  let onChange: (() => void) | undefined;
  const finished = runInGuest(system, endpoint, ['sh', '-c', COUNTER], {
    // It runs for as long as the migration takes; close() ends it.
    timeoutMs: 24 * 3_600_000,
    check: false,
    signal: stop.signal,
    onStdout: tickReader((n) => {
      lines.push({ atMs: now(), n });
      firstLine?.();
      onChange?.();
    }),
  }).then(
    (result) => {
      endedEarly = `ssh ended with status ${result.exitCode ?? result.signal ?? '?'}${result.stderr.trim() === '' ? '' : `: ${result.stderr.trim().split('\n').slice(-1)[0]}`}`;
    },
    (error: unknown) => {
      if (!stop.signal.aborted) endedEarly = describeError(error);
    },
  );
  void finished.then(() => {
    over = true;
    firstLine?.();
    onChange?.();
  });
  return {
    async started(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([first, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    mark(what) {
      if (what === 'migration-start') marks.start = now();
      else marks.end = now();
    },
    async wentOn(needed, timeoutMs, signal) {
      const end = marks.end;
      const enough = (): boolean => over || (end !== undefined && lines.filter((l) => l.atMs > end).length >= needed);
      // The session may have ended, or printed enough, before the call.
      if (enough() || signal?.aborted === true) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          onChange = undefined;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener('abort', done, { once: true });
        onChange = () => {
          if (enough()) done();
        };
      });
    },
    async close() {
      if (endedEarly === undefined) stop.abort();
      await finished;
      return summarizeHeldSession(lines, marks.start, marks.end, endedEarly);
    },
  };
}
