/**
 * The phases of a migration, after libvirt's migration protocol (v3):
 *
 * ```
 * begin ──► prepare ──► [copy] ──► perform ──► finish ──► confirm ──► done
 *   │          │           │          │           │          (a confirm that fails still ends in done:
 *   │          └───────────┴──────────┴───────────┴──► rollback ──► failed | cancelled
 *   └──► failed | cancelled       (nothing was started yet: nothing to roll back)
 * ```
 *
 * - **begin** (source): the VM runs, the destination differs, both QEMUs can do what is asked.
 * - **prepare** (destination): a QEMU with the same devices, `-incoming defer`, listening.
 * - **copy** (both, only when a disk guest's disk moves with it): the source mirrors its disk
 *   to the destination's NBD export until the copy is in step (see `disk-copy.ts`).
 * - **perform** (source): capabilities and parameters set, `migrate`, progress followed.
 * - **finish** (destination): the migration is complete only once the destination *runs* the
 *   guest (the source says `completed` while the destination may still be `inmigrate`).
 * - **confirm** (source): the VM is recorded on the destination, the source QEMU quits. The
 *   guest already runs on the destination, so a failure here is reported, never rolled back.
 * - **rollback**: the migration is cancelled, the destination QEMU killed and its files
 *   removed, and the source resumed if it had stopped: the VM keeps running where it was.
 */

/** A step of the protocol. */
export type MigrationStep = 'begin' | 'prepare' | 'copy' | 'perform' | 'finish' | 'confirm';
/** Where a migration is: a step, rolling back, or over. */
export type MigrationPhase = MigrationStep | 'rollback' | 'done' | 'failed' | 'cancelled';
/** How a step ended. */
export type StepOutcome = 'ok' | 'failed' | 'cancelled';

/** The steps in order. */
export const MIGRATION_STEPS: readonly MigrationStep[] = ['begin', 'prepare', 'copy', 'perform', 'finish', 'confirm'];

const AFTER_OK: Readonly<Record<MigrationStep, MigrationPhase>> = {
  begin: 'prepare',
  prepare: 'perform',
  copy: 'perform',
  perform: 'finish',
  finish: 'confirm',
  confirm: 'done',
};

/** Whether a phase is final. */
export function isFinalPhase(phase: MigrationPhase): phase is 'done' | 'failed' | 'cancelled' {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}

/**
 * The phase after `phase` ended with `outcome`. For `rollback`, `outcome` is why the rollback
 * began (`failed` or `cancelled`) and the result is that final phase. `copiesDisk`: the
 * migration copies a disk, so a prepare that ended `ok` is followed by copy.
 *
 * @throws Error for a final phase, or a rollback said to have ended `ok`.
 */
export function nextPhase(phase: MigrationPhase, outcome: StepOutcome, copiesDisk = false): MigrationPhase {
  if (isFinalPhase(phase)) throw new Error(`The migration is over (${phase}): no phase follows.`);
  if (phase === 'rollback') {
    if (outcome === 'ok') throw new Error('A rollback ends as failed or cancelled, never ok.');
    return outcome;
  }
  if (outcome === 'ok') return phase === 'prepare' && copiesDisk ? 'copy' : AFTER_OK[phase];
  // Before prepare nothing was started; after perform's success the guest runs on the destination.
  if (phase === 'begin') return outcome;
  if (phase === 'confirm') return 'done';
  return 'rollback';
}

/**
 * Whether a cancel request still cancels: up to and during perform, until QEMU enters
 * postcopy (then the guest already runs on the destination and the source cannot take it
 * back) or the source reports `completed`.
 */
export function canCancel(phase: MigrationPhase, qemuStatus: string | undefined): boolean {
  if (phase === 'begin' || phase === 'prepare' || phase === 'copy') return true;
  if (phase !== 'perform') return false;
  return qemuStatus === undefined || !['postcopy-active', 'postcopy-paused', 'postcopy-recover', 'completed', 'device'].includes(qemuStatus);
}

/** One phase as it happened. */
export interface PhaseSpan {
  readonly phase: MigrationPhase;
  /** Milliseconds since the migration began. */
  readonly startMs: number;
  /** Undefined while it lasts. */
  readonly endMs: number | undefined;
}

/**
 * The phase of one migration and its history. Moves only along {@link nextPhase}; tells
 * `onPhase` about every phase entered.
 */
export class MigrationStateMachine {
  private current: MigrationPhase = 'begin';
  private rollbackCause: 'failed' | 'cancelled' | undefined;
  private readonly spans: { phase: MigrationPhase; startMs: number; endMs: number | undefined }[] = [];
  private readonly origin: number;
  /** The migration copies a disk: prepare is followed by copy (set once begin knows). */
  copiesDisk = false;

  constructor(
    private readonly onPhase: (phase: MigrationPhase) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.origin = this.now();
    this.spans.push({ phase: 'begin', startMs: 0, endMs: undefined });
    this.onPhase('begin');
  }

  /** The phase now. */
  get phase(): MigrationPhase {
    return this.current;
  }

  /** Why a rollback began, once one did. */
  get cause(): 'failed' | 'cancelled' | undefined {
    return this.rollbackCause;
  }

  /** Every phase entered so far, in order. */
  get history(): readonly PhaseSpan[] {
    return this.spans.map((s) => ({ ...s }));
  }

  /** Whole milliseconds spent in each phase that ended (final phases, which last no time, are left out). */
  durations(): Partial<Record<MigrationPhase, number>> {
    const result: Partial<Record<MigrationPhase, number>> = {};
    for (const span of this.spans) {
      if (span.endMs !== undefined && !isFinalPhase(span.phase)) result[span.phase] = Math.round((result[span.phase] ?? 0) + span.endMs - span.startMs);
    }
    return result;
  }

  /** Ends the current phase with `outcome` and enters the next one, which it returns. */
  advance(outcome: StepOutcome): MigrationPhase {
    const from = this.current;
    const to = from === 'rollback' ? nextPhase(from, this.rollbackCause ?? 'failed') : nextPhase(from, outcome, this.copiesDisk);
    if (to === 'rollback') this.rollbackCause = outcome === 'cancelled' ? 'cancelled' : 'failed';
    const at = this.now() - this.origin;
    const open = this.spans.at(-1);
    if (open !== undefined) open.endMs = at;
    this.current = to;
    this.spans.push({ phase: to, startMs: at, endMs: isFinalPhase(to) ? at : undefined });
    this.onPhase(to);
    return to;
  }
}
