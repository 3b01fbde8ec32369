/**
 * Follows one libvirt host's domain events: one long-lived `virsh -c URI event --loop --all
 * --timestamp` through the host's HostSystem (so the gate and the SSH rules cover it), its lines
 * read as they come and not kept. When virsh ends or fails it starts again after a doubling pause,
 * and disposing kills it.
 */
import { describeError } from '../../errors';
import { sleep } from '../support/sleep';
import { DomainEventLines, type DomainEvent } from './domain-events';
import type { Virsh } from './virsh';

/** The arguments after `-c URI`. */
export const EVENT_ARGS: readonly string[] = ['event', '--loop', '--all', '--timestamp'];

/** How long to wait before starting virsh again. */
export interface Backoff {
  /** After the first failure. */
  readonly initialMs: number;
  /** Never longer than this. */
  readonly maxMs: number;
  /** A run at least this long was healthy: the next pause is `initialMs` again. */
  readonly healthyMs: number;
}

/** 1 s, 2 s, 4 s … 60 s; back to 1 s after a minute of following. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 60_000, healthyMs: 60_000 };

/**
 * The pause before the next start, and the one to use after that, given the current one and how
 * long the run that just ended lasted.
 */
export function nextPause(current: number, ranMs: number, backoff: Backoff): { readonly pauseMs: number; readonly nextMs: number } {
  const pauseMs = ranMs >= backoff.healthyMs ? backoff.initialMs : Math.min(Math.max(current, backoff.initialMs), backoff.maxMs);
  return { pauseMs, nextMs: Math.min(pauseMs * 2, backoff.maxMs) };
}

/** What the follower is doing: virsh runs (`restarted`: after a pause, so events may have been missed), or a pause after it ended. */
export type FollowerStatus =
  | { readonly kind: 'following'; readonly restarted: boolean }
  | { readonly kind: 'waiting'; readonly reason: string; readonly retryInMs: number };

/** Options of {@link DomainEventFollower}. */
export interface DomainEventFollowerOptions {
  /** The host's virsh (its machine and URI). */
  readonly virsh: Virsh;
  /** Each event, as virsh prints it. */
  readonly onEvent: (event: DomainEvent) => void;
  /** Each change of what the follower does (a log line; a re-read after a restart). */
  readonly onStatus?: (status: FollowerStatus) => void;
  readonly backoff?: Backoff;
  /** The clock, for the pauses' "healthy" measure. */
  readonly now?: () => number;
}

/** One host's `virsh event --loop`, started by {@link start}, ended for good by {@link dispose}. */
export class DomainEventFollower {
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: DomainEventFollowerOptions) {}

  /** Starts following (once; later calls do nothing). Resolves when it ended for good (after dispose). */
  start(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Kills virsh (through the run's signal: its own process, nothing else) and starts no other. */
  async dispose(): Promise<void> {
    this.stop.abort(new Error('No longer followed.'));
    await this.running;
  }

  get disposed(): boolean {
    return this.stop.signal.aborted;
  }

  private async loop(): Promise<void> {
    const { virsh, onEvent, onStatus } = this.options;
    const backoff = this.options.backoff ?? DEFAULT_BACKOFF;
    const now = this.options.now ?? Date.now;
    const signal = this.stop.signal;
    const lines = new DomainEventLines((event) => {
      try {
        onEvent(event);
      } catch {
        // A listener's exception must not end the following.
      }
    });
    let pause = backoff.initialMs;
    let restarted = false;
    while (!signal.aborted) {
      lines.reset();
      const started = now();
      onStatus?.({ kind: 'following', restarted });
      let reason: string;
      try {
        await virsh.follow(EVENT_ARGS, { signal, onStdout: (text) => lines.push(text) });
        reason = 'virsh event ended';
      } catch (error) {
        reason = describeError(error);
      }
      if (signal.aborted) return;
      const next = nextPause(pause, now() - started, backoff);
      pause = next.nextMs;
      onStatus?.({ kind: 'waiting', reason, retryInMs: next.pauseMs });
      await sleep(next.pauseMs, signal);
      restarted = true;
    }
  }
}
