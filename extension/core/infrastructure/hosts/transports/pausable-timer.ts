/** A connect timeout that stands still while a person is asked something (a passphrase, a host key). */
export class PausableTimer {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;
  private paused = 0;

  constructor(
    ms: number,
    private readonly onFire: () => void,
  ) {
    this.remaining = ms;
    this.start();
  }

  /** Stops the clock; pauses nest, and the clock runs again after as many {@link resume} calls. */
  pause(): void {
    this.paused += 1;
    if (this.paused === 1 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remaining -= Date.now() - this.startedAt;
    }
  }

  /** Undoes one {@link pause}. */
  resume(): void {
    this.paused -= 1;
    if (this.paused === 0) this.start();
  }

  /** Stops the timer for good: it never fires. */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.paused = Number.POSITIVE_INFINITY;
  }

  private start(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(this.onFire, Math.max(0, this.remaining));
  }
}
