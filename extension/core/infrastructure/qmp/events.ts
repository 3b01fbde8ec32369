/**
 * Event listeners, after QEMU's `qemu.qmp.events.EventListener`: each listener is its own FIFO
 * queue of the events it accepts, so listeners never take events from one another.
 */
import { type QmpError, QmpInterruptedError, QmpTimeoutError } from './errors';
import type { QmpEvent } from './messages';

/** A secondary filter on events, applied after the names. */
export type QmpEventFilter = (event: QmpEvent) => boolean;

type Settle = (outcome: QmpEvent | QmpError) => void;

/**
 * A queue of QMP events, filtered by name (and optionally by a predicate), from the moment it
 * was created by `QmpClient.listen()`: nothing emitted after subscribing is lost, however late
 * the first read.
 *
 * Read it with {@link next} (optionally with a timeout) or with `for await`. Each event is
 * handed out once per listener; create another listener to see the same events again.
 *
 * **When the connection ends** the listener ends too. Events already queued can still be read;
 * after them, `for await` loops finish normally (check the client's `disconnectError` if the
 * reason matters) and {@link next} rejects with a {@link QmpInterruptedError}
 * (`reason: 'disconnected'`, `cause`: why the connection ended, when it was not a clean close).
 *
 * **Dispose** it when done ({@link dispose}, or `using listener = client.listen(...)`): it stops
 * receiving events, drops its queue, and any pending `next()` rejects with a
 * {@link QmpInterruptedError} (`reason: 'disposed'`) while a pending `for await` finishes.
 * Breaking out of a `for await` does not dispose it.
 */
export class QmpEventListener implements AsyncIterable<QmpEvent>, Disposable {
  /** The event names accepted; undefined = all events. */
  readonly names: ReadonlySet<string> | undefined;
  private readonly filter: QmpEventFilter | undefined;
  private readonly onDispose: ((listener: QmpEventListener) => void) | undefined;
  private queue: (QmpEvent | undefined)[] = [];
  private head = 0;
  private readonly waiters: Settle[] = [];
  private endedBy: QmpError | undefined;
  private disposed = false;

  /**
   * Usually made by `QmpClient.listen()`, which also subscribes it.
   *
   * @param names event names to accept; undefined or empty = all events.
   * @param options.filter a further predicate an event must pass.
   * @param options.onDispose called once on dispose (the client unsubscribes the listener).
   */
  constructor(
    names?: Iterable<string>,
    options?: { filter?: QmpEventFilter; onDispose?: (listener: QmpEventListener) => void },
  ) {
    const set = names === undefined ? undefined : new Set(names);
    this.names = set === undefined || set.size === 0 ? undefined : set;
    this.filter = options?.filter;
    this.onDispose = options?.onDispose;
  }

  /** Events queued and not yet read. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** True once the connection has ended or the listener was disposed; queued events may remain. */
  get ended(): boolean {
    return this.endedBy !== undefined;
  }

  /** Whether this listener takes `event` (by name, then by the filter). */
  accepts(event: QmpEvent): boolean {
    if (this.names !== undefined && !this.names.has(event.event)) return false;
    return this.filter === undefined || this.filter(event);
  }

  /**
   * Offers an event (called by the client for every event received). Queues it, or hands it
   * to a waiting reader, if the listener accepts it and has not ended. Returns whether it was taken.
   */
  deliver(event: QmpEvent): boolean {
    if (this.endedBy !== undefined) return false;
    let accepted: boolean;
    try {
      accepted = this.accepts(event);
    } catch {
      accepted = false; // A throwing filter must not break the connection; it just does not match.
    }
    if (!accepted) return false;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(event);
    else this.queue.push(event);
    return true;
  }

  /**
   * Ends the listener (called by the client when the connection ends). Queued events stay
   * readable; waiting readers get `reason`. Idempotent: the first reason wins.
   */
  end(reason: QmpError): void {
    if (this.endedBy !== undefined) return;
    this.endedBy = reason;
    for (const waiter of this.waiters.splice(0)) waiter(reason);
  }

  /** The next queued event, without waiting; undefined when there is none. */
  tryNext(): QmpEvent | undefined {
    if (this.head >= this.queue.length) return undefined;
    const event = this.queue[this.head];
    this.queue[this.head] = undefined; // Let it be collected.
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return event;
  }

  /**
   * The next event, waiting for one if none is queued.
   *
   * @param timeoutMs give up after this long with a {@link QmpTimeoutError}; undefined = wait
   *   until an event comes or the listener ends.
   * @throws QmpInterruptedError when the listener has ended (connection closed, or disposed)
   *   and no event is queued.
   */
  next(timeoutMs?: number): Promise<QmpEvent> {
    const queued = this.tryNext();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.endedBy !== undefined) return Promise.reject(this.endedBy);
    return new Promise<QmpEvent>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle: Settle = (outcome) => {
        if (timer !== undefined) clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      this.waiters.push(settle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const index = this.waiters.indexOf(settle);
          if (index !== -1) this.waiters.splice(index, 1);
          reject(
            new QmpTimeoutError(`No QMP event ${this.describeNames()} within ${timeoutMs} ms`, {
              timeoutMs,
              hint: 'The VM may not have reached that state; check it with query-status.',
            }),
          );
        }, timeoutMs);
      }
    });
  }

  /** Drops every queued event and returns them. */
  clear(): QmpEvent[] {
    const dropped = this.queue.slice(this.head).filter((event): event is QmpEvent => event !== undefined);
    this.queue = [];
    this.head = 0;
    return dropped;
  }

  /** Stops listening: unsubscribes, drops the queue, ends waiting readers. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
    this.end(new QmpInterruptedError('The QMP event listener was disposed', { reason: 'disposed' }));
    this.onDispose?.(this);
  }

  /** Same as {@link dispose}, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Events as they come; the loop finishes when the listener ends and its queue is drained. */
  [Symbol.asyncIterator](): AsyncIterator<QmpEvent> {
    return {
      next: async (): Promise<IteratorResult<QmpEvent>> => {
        try {
          return { done: false, value: await this.next() };
        } catch (error) {
          if (error === this.endedBy) return { done: true, value: undefined };
          throw error;
        }
      },
    };
  }

  private describeNames(): string {
    const names = this.names === undefined ? 'of any name' : [...this.names].join(' or ');
    return this.filter === undefined ? names : `${names} matching the condition`;
  }
}
