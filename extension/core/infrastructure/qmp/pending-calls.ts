/**
 * The table of commands sent and not yet answered, keyed by command id: each entry owns its
 * timeout timer and AbortSignal listener, and is settled exactly once (reply, error reply,
 * timeout, abort, or disconnect), after which a late reply for its id finds nothing.
 */
import { type QmpError, QmpExecuteError, QmpInterruptedError, QmpTimeoutError } from './errors';
import type { QmpObject, QmpValue } from './messages';

/** Largest delay setTimeout honours; longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

interface PendingCall {
  readonly command: string;
  readonly args: QmpObject | undefined;
  readonly resolve: (value: QmpValue) => void;
  readonly reject: (error: QmpError) => void;
  readonly cleanup: () => void;
}

/** Commands in flight on one client. */
export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();

  /** How many commands are waiting for a reply. */
  get size(): number {
    return this.calls.size;
  }

  /** Whether a command with this id is waiting. */
  has(id: number): boolean {
    return this.calls.has(id);
  }

  /**
   * Registers a command about to be sent; the promise settles when it is answered, times
   * out (`timeoutMs`, non-finite = never), or `signal` aborts.
   *
   * @param where appended to the timeout message, e.g. ` (vm1)`.
   */
  add<T>(
    id: number,
    command: string,
    args: QmpObject | undefined,
    options: { timeoutMs: number; signal: AbortSignal | undefined; where: string },
  ): Promise<T> {
    const { timeoutMs, signal } = options;
    if (signal?.aborted === true) return Promise.reject(abortError(command, signal.reason));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (this.take(id) === call) reject(abortError(command, signal?.reason));
      };
      const call: PendingCall = {
        command,
        args,
        resolve: (value) => resolve(value as unknown as T),
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      this.calls.set(id, call);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () => {
            if (this.take(id) !== call) return;
            reject(
              new QmpTimeoutError(`QMP command '${command}' got no reply within ${timeoutMs} ms${options.where}`, {
                timeoutMs,
                command,
                hint: 'QEMU runs QMP commands one at a time, so a slow command delays the ones behind it. The connection is still usable; a late reply will be ignored.',
              }),
            );
          },
          Math.min(Math.max(timeoutMs, 0), MAX_TIMER_MS),
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Settles a call with its `return` value. False when no call waits for `id` (a late reply). */
  resolve(id: number, value: QmpValue): boolean {
    const call = this.take(id);
    call?.resolve(value);
    return call !== undefined;
  }

  /** Settles a call with QEMU's error reply, as a {@link QmpExecuteError}. False when no call waits for `id`. */
  rejectWithReply(id: number, errorClass: string, desc: string): boolean {
    const call = this.take(id);
    call?.reject(new QmpExecuteError(call.command, call.args, errorClass, desc));
    return call !== undefined;
  }

  /** Fails one call with `error`. False when no call waits for `id`. */
  fail(id: number, error: QmpError): boolean {
    const call = this.take(id);
    call?.reject(error);
    return call !== undefined;
  }

  /** Fails every call, each with its own error made by `interrupted` from its command name. */
  failAll(interrupted: (command: string) => QmpError): void {
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) {
      call.cleanup();
      call.reject(interrupted(call.command));
    }
  }

  private take(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call === undefined) return undefined;
    this.calls.delete(id);
    call.cleanup();
    return call;
  }
}

function abortError(command: string, cause: unknown): QmpInterruptedError {
  return new QmpInterruptedError(`QMP command '${command}' was cancelled`, {
    reason: 'aborted',
    command,
    cause,
    hint: 'QEMU may still run it; its reply will be ignored.',
  });
}
