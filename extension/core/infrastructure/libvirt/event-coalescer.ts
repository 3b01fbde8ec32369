/**
 * Turns a burst of events into one piece of work: the first event opens a window (~200 ms); what
 * arrives inside it joins it; when it closes, the work runs once with all of them. Events that
 * arrive while the work runs open the next window once it is done: never two at a time, never
 * one per event — a host whose 20 domains change at once costs one `virsh domstats`.
 */

/** The default window: long enough for a burst (a start is two events 0.1 s apart), short enough to feel immediate. */
export const COALESCE_WINDOW_MS = 200;

/** Collects items and runs `work` once per window with what it collected. */
export class Coalescer<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private working = false;
  private disposed = false;

  /**
   * @param work what to do with a window's items; its rejection is passed to `onError`.
   * @param windowMs how long a window stays open after its first item.
   */
  constructor(
    private readonly work: (items: readonly T[]) => Promise<void> | void,
    private readonly windowMs = COALESCE_WINDOW_MS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Adds an item: it is worked on when the current (or next) window closes. */
  push(item: T): void {
    if (this.disposed) return;
    this.pending.push(item);
    this.schedule();
  }

  /** Drops what is pending and runs nothing more (a run in progress finishes). */
  dispose(): void {
    this.disposed = true;
    this.pending = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.working || this.pending.length === 0) return;
    this.timer = setTimeout(() => void this.flush(), this.windowMs);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    this.working = true;
    try {
      await this.work(items);
    } catch (error) {
      this.onError(error);
    } finally {
      this.working = false;
    }
    if (!this.disposed) this.schedule();
  }
}
