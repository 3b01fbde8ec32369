/** A counting semaphore for exec channels: sshd refuses sessions beyond its MaxSessions. */
export class ExecSlots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Waits for a free slot; the function returned gives it back (calling it twice is harmless). */
  async take(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.used -= 1;
    };
  }
}
