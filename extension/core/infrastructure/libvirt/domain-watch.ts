/**
 * What follows a libvirt host's domains: its {@link DomainEventFollower}, with events coalesced
 * (see {@link Coalescer}) into batches, each handled once — by the tree, one `virsh domstats` and
 * one change of that host's row. After virsh started again (events may have been missed while it
 * was down) an empty batch asks for the same re-read.
 */
import { DomainEventFollower, type Backoff, type FollowerStatus } from './domain-event-follower';
import type { DomainEvent } from './domain-events';
import { COALESCE_WINDOW_MS, Coalescer } from './event-coalescer';
import type { Virsh } from './virsh';

/** Options of {@link DomainWatch}. */
export interface DomainWatchOptions {
  readonly virsh: Virsh;
  /** A batch: the events of one window (empty: a re-read after virsh started again). Never two at a time. */
  readonly onBatch: (events: readonly DomainEvent[]) => Promise<void> | void;
  /** The follower's status changes (for the log). */
  readonly onStatus?: (status: FollowerStatus) => void;
  /** A batch's handler failed. */
  readonly onError?: (error: unknown) => void;
  readonly windowMs?: number;
  readonly backoff?: Backoff;
}

/** Sentinel item: virsh started again, re-read. */
const RESYNC = Symbol('resync');

/** One host's followed domains; {@link dispose} ends it for good. */
export class DomainWatch {
  private readonly follower: DomainEventFollower;
  private readonly batches: Coalescer<DomainEvent | typeof RESYNC>;

  constructor(options: DomainWatchOptions) {
    this.batches = new Coalescer(
      (items) => options.onBatch(items.filter((item): item is DomainEvent => item !== RESYNC)),
      options.windowMs ?? COALESCE_WINDOW_MS,
      options.onError,
    );
    this.follower = new DomainEventFollower({
      virsh: options.virsh,
      backoff: options.backoff,
      onEvent: (event) => this.batches.push(event),
      onStatus: (status) => {
        if (status.kind === 'following' && status.restarted) this.batches.push(RESYNC);
        options.onStatus?.(status);
      },
    });
  }

  /** Starts following (once). */
  start(): void {
    void this.follower.start();
  }

  /** Kills virsh and drops what is pending; resolves once virsh is gone. */
  async dispose(): Promise<void> {
    this.batches.dispose();
    await this.follower.dispose();
  }
}
