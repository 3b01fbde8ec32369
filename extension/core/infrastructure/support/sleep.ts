import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits `ms`, or less when `signal` aborts: then it resolves early instead of rejecting, since
 * a cancelled pause is no error for callers that check their signal right after. It leaves no
 * listener on the signal (Node's timer removes its own), so a loop may call it with one signal
 * any number of times without a MaxListenersExceededWarning.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return;
  try {
    await wait(ms, undefined, { signal });
  } catch (error) {
    // Node's timer rejects with an AbortError when the signal aborts, and only then.
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
}

/**
 * Like {@link sleep}, for loops that end by an exception when cancelled: a pause cut short by
 * `signal` (or asked for with a signal already aborted) rejects, with the signal's reason when
 * it is an Error, else with a plain "Cancelled.".
 */
export async function sleepOrThrow(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled.');
}
