import { describe, expect, it } from 'vitest';
import { QmpInterruptedError, QmpTimeoutError } from '../../../extension/core/infrastructure/qmp/errors';
import { QmpEventListener } from '../../../extension/core/infrastructure/qmp/events';
import type { QmpEvent, QmpObject } from '../../../extension/core/infrastructure/qmp/messages';

function event(name: string, data: QmpObject = {}): QmpEvent {
  return { event: name, data, timestamp: { seconds: 0, microseconds: 0 } };
}

const ended = (): QmpInterruptedError => new QmpInterruptedError('connection ended', { reason: 'disconnected' });

describe('QmpEventListener', () => {
  it('queues accepted events from creation, in order, filtered by name', async () => {
    const listener = new QmpEventListener(['STOP', 'RESUME']);
    expect(listener.deliver(event('STOP'))).toBe(true);
    expect(listener.deliver(event('SHUTDOWN'))).toBe(false);
    expect(listener.deliver(event('RESUME'))).toBe(true);
    expect(listener.size).toBe(2);
    expect((await listener.next()).event).toBe('STOP');
    expect((await listener.next()).event).toBe('RESUME');
  });

  it('accepts everything with no names, and applies a filter after the names', () => {
    expect(new QmpEventListener().deliver(event('ANY'))).toBe(true);
    expect(new QmpEventListener([]).deliver(event('ANY'))).toBe(true);
    const jobs = new QmpEventListener(['JOB_STATUS_CHANGE'], { filter: (e) => e.data['id'] === 'job1' });
    expect(jobs.deliver(event('JOB_STATUS_CHANGE', { id: 'job2' }))).toBe(false);
    expect(jobs.deliver(event('JOB_STATUS_CHANGE', { id: 'job1' }))).toBe(true);
    const throwing = new QmpEventListener(undefined, {
      filter: () => {
        throw new Error('bug');
      },
    });
    expect(throwing.deliver(event('X'))).toBe(false);
  });

  it('hands an event to a waiting reader', async () => {
    const listener = new QmpEventListener();
    const waiting = listener.next();
    listener.deliver(event('STOP'));
    expect((await waiting).event).toBe('STOP');
    expect(listener.size).toBe(0);
  });

  it('times out next() with a QmpTimeoutError, and still delivers later events', async () => {
    const listener = new QmpEventListener(['STOP']);
    const error = await listener.next(20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as QmpTimeoutError).message).toContain('STOP');
    listener.deliver(event('STOP'));
    expect((await listener.next(20)).event).toBe('STOP');
  });

  it('when ended: drains the queue, then next() rejects and for-await finishes', async () => {
    const listener = new QmpEventListener();
    listener.deliver(event('A'));
    listener.deliver(event('B'));
    const reason = ended();
    listener.end(reason);
    expect(listener.ended).toBe(true);
    expect(listener.deliver(event('C'))).toBe(false);
    const seen: string[] = [];
    for await (const e of listener) seen.push(e.event);
    expect(seen).toEqual(['A', 'B']);
    await expect(listener.next()).rejects.toBe(reason);
  });

  it('ends a pending for-await and rejects pending next() when the connection ends', async () => {
    const listener = new QmpEventListener();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const e of listener) seen.push(e.event);
    })();
    const waiting = listener.next();
    listener.deliver(event('A')); // goes to the first waiter: the loop
    await new Promise((resolve) => setImmediate(resolve));
    listener.end(ended());
    await loop;
    await expect(waiting).rejects.toBeInstanceOf(QmpInterruptedError);
    expect(seen).toEqual(['A']);
  });

  it('dispose unsubscribes, clears the queue, and interrupts readers; Symbol.dispose too', async () => {
    const disposed: QmpEventListener[] = [];
    const listener = new QmpEventListener(undefined, { onDispose: (l) => disposed.push(l) });
    listener.deliver(event('A'));
    const second = new QmpEventListener();
    const waiting = second.next();
    listener.dispose();
    listener.dispose();
    expect(disposed).toEqual([listener]);
    expect(listener.size).toBe(0);
    await expect(listener.next()).rejects.toMatchObject({ reason: 'disposed' });
    second[Symbol.dispose]();
    await expect(waiting).rejects.toMatchObject({ reason: 'disposed' });
  });

  it('clear returns and drops queued events; tryNext does not wait', () => {
    const listener = new QmpEventListener();
    expect(listener.tryNext()).toBeUndefined();
    listener.deliver(event('A'));
    listener.deliver(event('B'));
    expect(listener.tryNext()?.event).toBe('A');
    expect(listener.clear().map((e) => e.event)).toEqual(['B']);
    expect(listener.size).toBe(0);
  });

  it('keeps order across many events (queue compaction)', async () => {
    const listener = new QmpEventListener();
    for (let i = 0; i < 5000; i += 1) listener.deliver(event(`E${i}`));
    for (let i = 0; i < 5000; i += 1) expect((await listener.next()).event).toBe(`E${i}`);
    expect(listener.size).toBe(0);
  });
});
