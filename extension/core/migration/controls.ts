/**
 * Steering a running migration from outside: the editor's "Switch to postcopy" button, or a
 * person at the CLI. Cancelling goes through the migration's AbortSignal instead.
 */
export class MigrationControls {
  private postcopyRequested = false;
  private readonly waiters = new Set<() => void>();

  /** Asks for `migrate-start-postcopy` at the next step (only with the postcopy capability). */
  switchToPostcopy(): void {
    this.postcopyRequested = true;
    for (const wake of [...this.waiters]) wake();
  }

  /** Whether a switch to postcopy was asked for. */
  get wantsPostcopy(): boolean {
    return this.postcopyRequested;
  }

  /** Resolves at the next request (for a loop waiting on several things). */
  nextRequest(): { promise: Promise<void>; dispose: () => void } {
    let wake = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      wake = () => {
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
    return { promise, dispose: () => this.waiters.delete(wake) };
  }
}
