import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../../extension/core/infrastructure/support/sleep';

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
