/**
 * A migration with its timeline, and with `--during` benchmarks around it: first a baseline of
 * the benchmarks alone, then the same benchmarks again with the migration started `leadSeconds`
 * into them, kept running `tailSeconds` after it (and at least as long as the baseline).
 *
 * ```ts
 * const run = await migrateWithTimeline(request, deps, { signal, onProgress }, {
 *   specs: [{ benchmark: 'sysbench-cpu', target: 'host' }], plan: { seconds: 20, leadSeconds: 3, tailSeconds: 5 },
 * });
 * store(run.summary ?? run.error.summary, run.timeline);
 * ```
 */
import { describeError } from '../../errors';
import { sleep } from '../../infrastructure/support/sleep';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { locationOf } from '../../machines/vm/vm-record';
import { resolveVm } from '../../machines/vm/resolve-vm';
import { DuringBenchmarkError, MigrationCancelledError, MigrationError } from '../errors';
import { migrateVm } from '../migrate';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from '../request';
import type { MigrationSummary } from '../summary';
import { GuestLocator } from './guest-locator';
import { TimelineRecorder } from './recorder';
import { duringLabel, type DuringSpec } from './spec';
import { DuringStreamRunner, type HostSlot, type StreamEnvironment } from './stream';
import { guestShell, hostShell, type GuestPlace } from './target-shell';
import type { DuringPlan, DuringSample, DuringStream, MigrationTimeline } from './timeline';

/** The benchmarks to run around the migration, and the windows. */
export interface DuringRequest {
  readonly specs: readonly DuringSpec[];
  readonly plan: DuringPlan;
}

/** Hooks of the `--during` session. */
export interface DuringHooks {
  /** What the session is doing (baseline started, migration starts, a stream ended…). */
  readonly onNote?: (text: string) => void;
  /** Every benchmark sample as it arrives (a guest's samples arrive late after the switch-over). */
  readonly onSample?: (spec: DuringSpec, run: 'baseline' | 'during', sample: DuringSample) => void;
}

/** A migration's outcome with its timeline: exactly one of `summary` and `error` is set. */
export interface MigrationRun {
  readonly summary: MigrationSummary | undefined;
  readonly error: unknown;
  readonly timeline: MigrationTimeline;
}

/** The guest's RAM-backed folder for the benchmarks' output (it moves with the guest). */
const GUEST_DIR = '/tmp/qemu-lab-during';
/** What `mktemp -d -t` makes, so that only such a folder is ever removed. */
const HOST_DIR = /\/qemu-lab-during\.[A-Za-z0-9]{6,}$/;
/** A migration without --timeout is assumed to end within this, for the benchmarks' own time limit. */
const DEFAULT_MIGRATION_BOUND_S = 1_800;

/** The options of `migrateVm` with the recorder listening in. */
function recording(options: MigrationOptions, recorder: TimelineRecorder): MigrationOptions {
  return {
    ...options,
    onPhase: (phase) => {
      recorder.phase(phase);
      options.onPhase?.(phase);
    },
    onProgress: (progress) => {
      recorder.sample(progress);
      options.onProgress?.(progress);
    },
  };
}

/** Runs the migration alone, recording its timeline. */
async function migrateRecorded(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions, recorder: TimelineRecorder): Promise<{ summary?: MigrationSummary; error?: unknown }> {
  const start = recorder.now();
  try {
    return { summary: await migrateVm(request, deps, recording(options, recorder)) };
  } catch (error) {
    return { error };
  } finally {
    recorder.migration = { startMs: start, endMs: recorder.now() };
  }
}

/** Private output folders on the hosts the benchmarks use, made on first use and removed at the end. */
class HostSlots {
  private readonly slots = new Map<string, Promise<HostSlot>>();

  constructor(private readonly systemOf: (host: string) => HostSystem) {}

  get(host: string): Promise<HostSlot> {
    let slot = this.slots.get(host);
    if (slot === undefined) {
      slot = this.make(host);
      this.slots.set(host, slot);
    }
    return slot;
  }

  private async make(host: string): Promise<HostSlot> {
    const system = this.systemOf(host);
    const made = await system.run('mktemp', ['-d', '-t', 'qemu-lab-during.XXXXXX'], { timeoutMs: 20_000, check: false });
    const dir = made.stdout.trim();
    if (made.exitCode !== 0 || !HOST_DIR.test(dir)) throw new DuringBenchmarkError(`Cannot make a folder for benchmark output on host "${host}": ${made.stderr.trim()}`);
    return { shell: hostShell(system), system, dir };
  }

  async removeAll(): Promise<void> {
    await Promise.all(
      [...this.slots.values()].map(async (pending) => {
        const slot = await pending.catch(() => undefined);
        if (slot !== undefined && HOST_DIR.test(slot.dir)) await slot.system.run('rm', ['-rf', '--', slot.dir], { timeoutMs: 20_000, check: false }).catch(() => undefined);
      }),
    );
  }
}

/** Starts every runner; if one cannot start, stops those that did and throws. */
async function startAll(runners: readonly DuringStreamRunner[]): Promise<void> {
  const results = await Promise.allSettled(runners.map((r) => r.start()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed === undefined) return;
  await Promise.allSettled(runners.map((r) => r.stop()));
  const error: unknown = failed.reason;
  throw error instanceof DuringBenchmarkError ? error : new DuringBenchmarkError(`A benchmark could not start: ${describeError(error)}`, { cause: error });
}

/** Stops every runner and returns their streams. */
async function stopAll(runners: readonly DuringStreamRunner[]): Promise<DuringStream[]> {
  return Promise.all(runners.map((r) => r.stop()));
}

/**
 * Migrates a VM and records its timeline; with `during`, runs the benchmarks around it as the
 * file comment says. Never throws for a failed migration — the failure is in `error` (with the
 * timeline, so that it can be stored too); throws only when the benchmarks cannot start or the
 * run is cancelled before the migration began.
 */
export async function migrateWithTimeline(
  request: MigrationRequest,
  deps: MigrationDependencies,
  options: MigrationOptions,
  during?: DuringRequest,
  hooks: DuringHooks = {},
  /** Pass one to read the timeline while it runs (the editor's live panel). */
  recorder: TimelineRecorder = new TimelineRecorder(),
): Promise<MigrationRun> {
  if (during === undefined || during.specs.length === 0) {
    const outcome = await migrateRecorded(request, deps, options, recorder);
    return { summary: outcome.summary, error: outcome.error, timeline: recorder.timeline() };
  }
  const { plan, specs } = during;
  recorder.plan = plan;
  const note = (text: string): void => hooks.onNote?.(text);
  const vm = resolveVm(request.lab, request.vmName);
  const home = { labPath: request.lab.path, vmName: vm.name, host: vm.host };
  const source = await deps.backend.find(home);
  if (source === undefined || !source.alive) {
    throw new MigrationError(`VM "${vm.name}" is not running, so there is nothing to migrate.`, { phase: 'begin', hint: `Start it with qemu-lab up ${vm.name}.` });
  }
  const systemOf = (host: string): HostSystem => deps.backend.systemOf({ host });
  const slots = new HostSlots(systemOf);
  const locator = new GuestLocator(async (): Promise<GuestPlace | undefined> => {
    const found = await deps.backend.find(home).catch(() => undefined);
    return found === undefined || !found.alive ? undefined : { record: found.record, system: systemOf(found.record.host) };
  });
  const guestPlace = (): Promise<GuestPlace | undefined> => locator.place();
  const guest = guestShell(guestPlace);
  let settle = (): void => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const environment = (limitSeconds: number): StreamEnvironment => ({
    now: () => recorder.now(),
    limitSeconds,
    sourceHost: locationOf(source.record).host,
    destinationHost: request.to,
    hostSlot: (host) => slots.get(host),
    guest,
    guestPlace,
    guestMoving: () => locator.isMoving,
    guestDir: GUEST_DIR,
    settled,
    onSample: hooks.onSample,
  });
  const labels = specs.map(duringLabel).join(', ');
  // A function, not a narrowed property: the signal aborts while this function awaits.
  const cancelled = (): boolean => options.signal?.aborted === true;
  let running: DuringStreamRunner[] = [];
  try {
    // The baseline: the same benchmarks, as long, just before — nothing migrating.
    note(`baseline: ${labels} for ${plan.seconds} s, no migration`);
    running = specs.map((spec) => new DuringStreamRunner(spec, 'baseline', environment(plan.seconds + 60)));
    const baselineStart = recorder.now();
    await startAll(running);
    await sleep(plan.seconds * 1000, options.signal);
    recorder.addStreams(await stopAll(running));
    running = [];
    recorder.baseline = { startMs: baselineStart, endMs: recorder.now() };
    if (cancelled()) throw new MigrationCancelledError('The migration was cancelled during the baseline, before it started.', { phase: 'begin', hint: 'Nothing migrated; the VM runs where it was.' });

    const bound = plan.leadSeconds + plan.seconds + plan.tailSeconds + (options.timeoutMs === undefined ? DEFAULT_MIGRATION_BOUND_S : options.timeoutMs / 1000) + 60;
    running = specs.map((spec) => new DuringStreamRunner(spec, 'during', environment(bound)));
    const duringStart = recorder.now();
    note(`during: ${labels}; the migration starts in ${plan.leadSeconds} s`);
    await startAll(running);
    await sleep(plan.leadSeconds * 1000, options.signal);
    locator.moving(true);
    const outcome = await migrateRecorded(request, deps, options, recorder);
    locator.moving(false);
    settle();
    // After it: the tail, and at least the baseline's length in all (unless cancelled).
    const until = Math.max(duringStart + plan.seconds * 1000, recorder.now() + plan.tailSeconds * 1000);
    if (!cancelled()) {
      note(`measuring ${((until - recorder.now()) / 1000).toFixed(0)} s more after the migration`);
      await sleep(until - recorder.now(), options.signal);
    }
    const streams = await stopAll(running);
    running = [];
    recorder.addStreams(streams);
    recorder.during = { startMs: duringStart, endMs: recorder.now() };
    for (const stream of streams) {
      for (const end of stream.ends.filter((e) => e.kind !== 'stopped')) note(`${duringLabel(stream)}: stream ${end.kind} at ${(end.t / 1000).toFixed(1)} s: ${end.reason}`);
    }
    return { summary: outcome.summary, error: outcome.error, timeline: recorder.timeline() };
  } finally {
    settle();
    if (running.length > 0) await Promise.allSettled(running.map((r) => r.stop()));
    await slots.removeAll();
    // The output files live in the guest's RAM: give it back (best effort: the guest may be gone).
    if (specs.some((s) => s.target === 'guest')) await guest.run(['rm', '-rf', '--', GUEST_DIR], 15_000);
  }
}
