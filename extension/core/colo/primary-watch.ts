/**
 * Watching the primary right after `migrate`: until it is in COLO, then through the first
 * checkpoint. Every question is bounded (probe.ts); a primary silent for longer than the hang
 * bound is a hung checkpoint, one whose migration ends without COLO will never replicate.
 */
import type { HostVmBackend } from '../machines/vm/backend';
import { ColoCheckpointHungError, ColoError, ColoNotReplicatingError, type ColoQemuFacts } from './errors';
import { sideConnector, type ColoSide } from './pair-handle';
import { probeQmp } from './probe';
import { parseSideFacts, primaryProgress, type ColoSideFacts } from './side-status';
import { sleepOrThrow } from '../infrastructure/support/sleep';

const POLL_MS = 250;
/** The longest single question; the hang bound counts from the first one left unanswered. */
const QUESTION_MS = 5_000;

/** What the watchers need. */
export interface PrimaryWatch {
  readonly backend: HostVmBackend;
  readonly primary: ColoSide;
  readonly facts: ColoQemuFacts;
  readonly hangBoundMs: number;
  readonly signal?: AbortSignal;
}

/** The primary's COLO facts over a bounded exchange; undefined when it did not answer in time. */
async function primaryFacts(watch: PrimaryWatch, boundMs: number): Promise<ColoSideFacts | undefined> {
  const probe = await probeQmp(sideConnector(watch.backend, watch.primary), ['query-colo-status', 'query-migrate'], boundMs, `${watch.primary.key.vmName} (COLO primary)`);
  return probe.ok ? parseSideFacts(probe.replies[0] ?? null, probe.replies[1]) : undefined;
}

/** Tracks how long the primary has been silent; throws the hang error past the bound. */
class Silence {
  private since: number | undefined;

  constructor(private readonly watch: PrimaryWatch) {}

  answered(): void {
    this.since = undefined;
  }

  get silent(): boolean {
    return this.since !== undefined;
  }

  unanswered(askedAt: number): void {
    this.since ??= askedAt;
    const silentMs = performance.now() - this.since;
    if (silentMs > this.watch.hangBoundMs) throw new ColoCheckpointHungError(this.watch.primary.key.vmName, this.watch.facts, silentMs);
  }
}

/** Polls until the primary is in COLO; returns its facts then. */
export async function awaitColo(watch: PrimaryWatch, deadline: number): Promise<ColoSideFacts> {
  const silence = new Silence(watch);
  const vmName = watch.primary.key.vmName;
  for (;;) {
    await sleepOrThrow(POLL_MS, watch.signal);
    const askedAt = performance.now();
    const now = await primaryFacts(watch, Math.min(watch.hangBoundMs, QUESTION_MS));
    if (now === undefined) {
      silence.unanswered(askedAt);
      continue;
    }
    silence.answered();
    const progress = primaryProgress(now);
    if (progress === 'colo') return now;
    if (progress === 'not-replicating') throw new ColoNotReplicatingError(vmName, watch.facts, now.migrationStatus ?? 'unknown');
    if (progress === 'failed') {
      throw new ColoError(`The first COLO migration of VM "${vmName}" ${now.migrationStatus ?? 'failed'}.`, {
        hint: `The secondary's output (qemu.stderr.log in its run directory on "${watch.primary.key.host}" or the secondary host) may say why.`,
      });
    }
    if (Date.now() > deadline) throw new ColoError(`The first COLO migration of VM "${vmName}" did not finish in time.`, { hint: 'Give it longer with --timeout, or the guest less memory.' });
  }
}

/** Past the first checkpoint's due time, how long to keep watching where QEMU counts checkpoints. */
const COUNTED_MARGIN_MS = 2_000;
/**
 * The same where QEMU cannot count them in COLO (7.2: query-migrate reports no memory syncs
 * there): the window must hold the checkpoint itself, which a loaded host starts late — CI saw
 * 7.2's first-checkpoint deadlock come after a 2 s margin, and the pair called healthy.
 */
const BLIND_MARGIN_MS = 10_000;
/** Where checkpoints are counted, how long past the margin to wait for the first one to be seen done. */
const COUNTED_GRACE_MS = 60_000;

/**
 * Stays through the first checkpoint (due `delayMs` after entering COLO) plus a margin: the
 * primary must keep answering. Where QEMU counts checkpoints, it stays until one is seen done
 * (a memory sync more than on entering COLO), for at most {@link COUNTED_GRACE_MS} more.
 * Returns the last facts it gave.
 */
export async function watchFirstCheckpoint(watch: PrimaryWatch, delayMs: number, entered: ColoSideFacts): Promise<ColoSideFacts> {
  const silence = new Silence(watch);
  const question = Math.min(watch.hangBoundMs, QUESTION_MS);
  const before = entered.dirtySyncCount;
  const windowEnd = performance.now() + delayMs + question + (before === undefined ? BLIND_MARGIN_MS : COUNTED_MARGIN_MS);
  const giveUp = windowEnd + (before === undefined ? 0 : COUNTED_GRACE_MS);
  let last = entered;
  const checkpointSeen = (): boolean => before !== undefined && last.dirtySyncCount !== undefined && last.dirtySyncCount > before;
  const ask = async (): Promise<void> => {
    const askedAt = performance.now();
    const now = await primaryFacts(watch, question);
    if (now === undefined) silence.unanswered(askedAt);
    else {
      silence.answered();
      last = now;
    }
  };
  while (performance.now() < windowEnd || (!checkpointSeen() && performance.now() < giveUp)) {
    await sleepOrThrow(POLL_MS * 2, watch.signal);
    await ask();
  }
  // Silent at the end of the window: give it the rest of the bound before judging.
  while (silence.silent) await ask();
  return last;
}
