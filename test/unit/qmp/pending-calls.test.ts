import { describe, expect, it } from 'vitest';
import { QmpExecuteError, QmpInterruptedError, QmpTimeoutError } from '../../../extension/core/infrastructure/qmp/errors';
import { PendingCalls } from '../../../extension/core/infrastructure/qmp/pending-calls';

const noTimeout = { timeoutMs: Infinity, signal: undefined, where: '' };

describe('PendingCalls', () => {
  it('settles each call once: a second reply for the same id finds nothing', async () => {
    const calls = new PendingCalls();
    const call = calls.add(1, 'query-status', undefined, noTimeout);
    expect(calls.size).toBe(1);
    expect(calls.resolve(1, { status: 'running' })).toBe(true);
    expect(calls.resolve(1, 'again')).toBe(false);
    expect(calls.rejectWithReply(1, 'GenericError', 'x')).toBe(false);
    expect(await call).toEqual({ status: 'running' });
    expect(calls.size).toBe(0);
  });

  it('turns an error reply into a QmpExecuteError with the command and args', async () => {
    const calls = new PendingCalls();
    const call = calls.add(1, 'device_del', { id: 'n1' }, noTimeout);
    calls.rejectWithReply(1, 'DeviceNotFound', "Device 'n1' not found");
    await expect(call).rejects.toMatchObject({ errorClass: 'DeviceNotFound', command: 'device_del', args: { id: 'n1' } });
    await expect(call).rejects.toBeInstanceOf(QmpExecuteError);
  });

  it('times out only finite timeouts, and forgets the id', async () => {
    const calls = new PendingCalls();
    const slow = calls.add(1, 'a', undefined, { timeoutMs: 10, signal: undefined, where: ' (vm1)' });
    const forever = calls.add(2, 'b', undefined, noTimeout);
    const error = await slow.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect((error as QmpTimeoutError).message).toContain('(vm1)');
    expect(calls.has(1)).toBe(false);
    expect(calls.has(2)).toBe(true);
    calls.resolve(2, null);
    expect(await forever).toBeNull();
  });

  it('rejects at once, unregistered, when the signal is already aborted; removes its listener after', async () => {
    const calls = new PendingCalls();
    const controller = new AbortController();
    controller.abort();
    await expect(calls.add(1, 'a', undefined, { ...noTimeout, signal: controller.signal })).rejects.toMatchObject({
      reason: 'aborted',
    });
    expect(calls.has(1)).toBe(false);

    const later = new AbortController();
    const call = calls.add(2, 'b', undefined, { ...noTimeout, signal: later.signal });
    calls.resolve(2, 1);
    later.abort();
    expect(await call).toBe(1);
  });

  it('failAll gives every call its own error and empties the table', async () => {
    const calls = new PendingCalls();
    const all = ['a', 'b', 'c'].map((command, i) =>
      calls.add(i, command, undefined, noTimeout).catch((e: unknown) => e),
    );
    calls.failAll((command) => new QmpInterruptedError(`${command} interrupted`, { reason: 'disconnected', command }));
    const errors = (await Promise.all(all)) as QmpInterruptedError[];
    expect(errors.map((e) => e.command)).toEqual(['a', 'b', 'c']);
    expect(new Set(errors).size).toBe(3);
    expect(calls.size).toBe(0);
  });
});
