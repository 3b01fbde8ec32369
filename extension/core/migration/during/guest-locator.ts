/**
 * Where the guest runs, for the `--during` benchmarks in it. Looking it up costs a command on
 * its host (on a remote host a login, slow where the shell's start-up is heavy), and the answer
 * changes only when the guest moves: so it is looked up once while the guest stays put, and
 * afresh for every question from the migration's start until it is over.
 */
import type { GuestPlace } from './target-shell';

/** The guest's place, remembered while it cannot change. */
export class GuestLocator {
  private known: Promise<GuestPlace | undefined> | undefined;
  private movingNow = false;

  /** `lookUp` finds the guest now; undefined when it does not run (it must not throw). */
  constructor(private readonly lookUp: () => Promise<GuestPlace | undefined>) {}

  /** Whether the guest may be moving: from {@link GuestLocator.moving}(true) until (false). */
  get isMoving(): boolean {
    return this.movingNow;
  }

  /** The migration started (true) or is over (false): what was known may be stale either way. */
  moving(now: boolean): void {
    this.movingNow = now;
    this.known = undefined;
  }

  /** Where the guest is, as {@link GuestPlace}; undefined when it does not run now. */
  place(): Promise<GuestPlace | undefined> {
    if (this.movingNow) return this.lookUp();
    if (this.known === undefined) {
      const asked = this.lookUp();
      this.known = asked;
      // A guest not found (mid switch-over, not up yet) is asked about again next time.
      const forget = (): void => {
        if (this.known === asked) this.known = undefined;
      };
      asked.then((found) => found === undefined && forget(), forget);
    }
    return this.known;
  }
}
