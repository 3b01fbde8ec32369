import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../extension/core/infrastructure/libvirt/event-coalescer';

// Fake timers: the windows are time, which a unit test cannot cause for real.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Coalescer', () => {
  it('runs once for a burst inside the window, with every item', async () => {
    const runs: number[][] = [];
    const c = new Coalescer<number>((items) => void runs.push([...items]), 200);
    for (let i = 0; i < 20; i += 1) {
      c.push(i);
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toEqual([Array.from({ length: 20 }, (_, i) => i)]);
  });

  it('opens a new window for what comes after one closed', async () => {
    const runs: string[][] = [];
    const c = new Coalescer<string>((items) => void runs.push([...items]), 200);
    c.push('a');
    await vi.advanceTimersByTimeAsync(250);
    c.push('b');
    c.push('c');
    await vi.advanceTimersByTimeAsync(199);
    expect(runs).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([['a'], ['b', 'c']]);
  });

  it('never runs twice at once: what arrives during a run waits for it, then goes in one more run', async () => {
    const runs: number[][] = [];
    let active = 0;
    let most = 0;
    const c = new Coalescer<number>(async (items) => {
      active += 1;
      most = Math.max(most, active);
      runs.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // A slow virsh domstats.
      active -= 1;
    }, 200);
    c.push(1);
    await vi.advanceTimersByTimeAsync(300); // Running now.
    for (let i = 2; i <= 10; i += 1) c.push(i);
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toEqual([[1], [2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(most).toBe(1);
  });

  it('passes a failed run to onError and keeps working', async () => {
    const errors: unknown[] = [];
    const runs: number[][] = [];
    const c = new Coalescer<number>(
      (items) => {
        runs.push([...items]);
        if (items.includes(1)) throw new Error('virsh failed');
      },
      200,
      (error) => errors.push(error),
    );
    c.push(1);
    await vi.advanceTimersByTimeAsync(200);
    c.push(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toEqual([[1], [2]]);
    expect(errors).toHaveLength(1);
  });

  it('after dispose runs nothing, pending or new', async () => {
    const runs: number[][] = [];
    const c = new Coalescer<number>((items) => void runs.push([...items]), 200);
    c.push(1);
    c.dispose();
    c.push(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([]);
  });
});
