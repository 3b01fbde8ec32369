/**
 * Runs a task per key at most once per quiet period: each new call for a key restarts its wait.
 * Typing in a lab file re-validates once the user pauses, not on every keystroke.
 */
export class Debouncer<Key> {
  private readonly timers = new Map<Key, NodeJS.Timeout>();

  constructor(private readonly delayMs: number) {}

  /** Schedules `task` for `key`, replacing one already waiting. */
  schedule(key: Key, task: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        task();
      }, this.delayMs),
    );
  }

  /** Drops the task waiting for `key`, if any. */
  cancel(key: Key): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Drops every waiting task. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
