/**
 * COLO checkpoints as they happen. `query-migrate` counts none while in COLO (11.1.3 answers
 * only `{"status": "colo"}`; 7.2 the same), but every checkpoint stops the primary's guest and
 * runs it again, and QEMU sends a `STOP` and a `RESUME` event for that, stamped with its own
 * clock. So a look — one QMP connection to the primary that listens for a few seconds — sees
 * each checkpoint start (STOP), how long the guest was paused (STOP → RESUME) and the interval
 * between checkpoints (STOP → STOP). The look holds the primary's only QMP connection, so it is
 * short, and taken only when a checkpoint is due within it.
 */
import type { QmpClient } from '../infrastructure/qmp/client';
import type { QmpEvent } from '../infrastructure/qmp/messages';
import { sleep } from '../infrastructure/support/sleep';

/** A pause or resume of the primary's guest, at QEMU's time in microseconds. */
export interface GuestRunEvent {
  readonly event: 'STOP' | 'RESUME';
  readonly atUs: number;
}

/** What one look at the primary saw. */
export interface CheckpointLook {
  /** How long it listened. */
  readonly lookMs: number;
  /** Checkpoints that began in the look (STOP events). */
  readonly count: number;
  /** STOP → next STOP, in milliseconds. */
  readonly intervalsMs: readonly number[];
  /** STOP → RESUME: how long the guest stood still, per checkpoint that ended in the look. */
  readonly pausesMs: readonly number[];
  /** The guest was paused when the look ended (a checkpoint under way, or a hung one). */
  readonly pausedAtEnd: boolean;
}

/** The longest look: it holds the primary's QMP, and the heartbeat's hang bound is 10 s. */
export const MAX_LOOK_MS = 6_000;

/**
 * How long to look for a checkpoint delay: two intervals and a margin, so one interval can be
 * measured; undefined when a checkpoint is not due often enough to be seen in {@link MAX_LOOK_MS}.
 */
export function checkpointLookMs(checkpointDelayMs: number): number | undefined {
  const ms = 2 * checkpointDelayMs + 500;
  return ms <= MAX_LOOK_MS ? ms : undefined;
}

/** A QMP event as a {@link GuestRunEvent}; undefined for any other event. */
export function guestRunEvent(event: QmpEvent): GuestRunEvent | undefined {
  if (event.event !== 'STOP' && event.event !== 'RESUME') return undefined;
  return { event: event.event, atUs: event.timestamp.seconds * 1_000_000 + event.timestamp.microseconds };
}

const ms = (us: number): number => Math.round(us / 100) / 10;

/** Pairs the events of a look into checkpoints (pure). Events come in QEMU's order. */
export function summarizeCheckpoints(events: readonly GuestRunEvent[], lookMs: number): CheckpointLook {
  const stops: number[] = [];
  const pausesMs: number[] = [];
  let stoppedAt: number | undefined;
  for (const e of events) {
    if (e.event === 'STOP') {
      stops.push(e.atUs);
      stoppedAt = e.atUs;
    } else if (stoppedAt !== undefined) {
      pausesMs.push(ms(e.atUs - stoppedAt));
      stoppedAt = undefined;
    }
  }
  const intervalsMs = stops.slice(1).map((at, i) => ms(at - (stops[i] as number)));
  return { lookMs, count: stops.length, intervalsMs, pausesMs, pausedAtEnd: stoppedAt !== undefined };
}

/**
 * Listens to the primary for `lookMs` over a connection `connect` opens; returns what it saw,
 * or undefined when the primary could not be reached (the status says so elsewhere).
 */
export async function lookAtCheckpoints(connect: (client: QmpClient) => Promise<void>, client: QmpClient, lookMs: number): Promise<CheckpointLook | undefined> {
  const listener = client.listen(['STOP', 'RESUME']);
  try {
    await connect(client);
    await sleep(lookMs);
    const events: GuestRunEvent[] = [];
    for (let e = listener.tryNext(); e !== undefined; e = listener.tryNext()) {
      const run = guestRunEvent(e);
      if (run !== undefined) events.push(run);
    }
    return summarizeCheckpoints(events, lookMs);
  } catch {
    return undefined;
  } finally {
    listener.dispose();
    await client.disconnect().catch(() => undefined);
  }
}
