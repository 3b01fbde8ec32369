import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep, sleepOrThrow } from '../../../extension/core/infrastructure/support/sleep';

describe('sleep', () => {
  it('waits, and leaves no listener on a signal it was given, however often (no MaxListenersExceededWarning)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i += 1) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends early, without an error, when the signal aborts, and then leaves no listener either', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pause = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pause).resolves.toBeUndefined();
    // A "does not hang" bound, far above the few milliseconds it takes.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await expect(sleep(60_000, controller.signal)).resolves.toBeUndefined();
  });
});

describe('sleepOrThrow', () => {
  it('waits like sleep when nothing aborts, leaving no listener', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i += 1) await sleepOrThrow(1, controller.signal);
    await sleepOrThrow(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the abort reason when cut short, and at once when the signal had aborted already', async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    const pause = sleepOrThrow(60_000, controller.signal);
    controller.abort(reason);
    await expect(pause).rejects.toBe(reason);
    // Asked after the abort: a loop that sleeps between checks must not wait out its pause.
    const started = Date.now();
    await expect(sleepOrThrow(60_000, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with a plain Error when the reason is none', async () => {
    const controller = new AbortController();
    controller.abort('not an error');
    await expect(sleepOrThrow(60_000, controller.signal)).rejects.toThrow('Cancelled.');
  });
});
