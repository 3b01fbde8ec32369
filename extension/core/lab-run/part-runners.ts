/**
 * The real runners of a lab run's parts, over the same use cases the single commands run:
 * an experiment through `runAndLogExperiment` (`qemu-lab bench`); a migration through
 * `migrateAndStore` (`qemu-lab migrate --name`, with the entry's `during:` benchmarks), the VM
 * booted for it and powered off after, the guest asked for its MAC and addresses before and
 * after; a COLO pair through `coloUp` (sysbench in the guest before COLO starts), a look at its
 * idle checkpoints, sysbench again as the COLO primary with looks under load, a failover and
 * `pairDown`.
 */
import type { LabModel, VmSpec } from '../lab/model';
import { readGuestFacts } from '../machines/guest-access/guest-facts';
import { upVm, type UpDependencies } from '../machines/vm/up';
import type { VmInstance, VmKey } from '../machines/vm/backend';
import { locationOf } from '../machines/vm/vm-record';
import { countOutcomes, runAndLogExperiment } from '../measuring/experiments/run-and-log';
import { duringRequestOf } from '../migration/during/from-lab';
import { migrateAndStore } from '../migration/migrate-and-store';
import { requestFromLab } from '../migration/request';
import { coloUp } from '../colo/colo-up';
import { checkpointLookMs } from '../colo/checkpoints';
import { failOver } from '../colo/failover';
import { loadPair, sideConnector } from '../colo/pair-handle';
import { coloCostOf, DEFAULT_COST_SECONDS, type ColoCost, type CostRun } from '../colo/cost';
import { runCostBenchmarks, runCostUnderColo, type CostTarget } from '../colo/cost-measure';
import { pairDown } from '../colo/pair-down';
import { readPairRecord } from '../colo/pair-record';
import { pairStatus } from '../colo/pair-status';
import { describeError, VmError } from '../errors';
import { sleep } from '../infrastructure/support/sleep';
import { holdGuestSession, type HeldSessionResult } from './held-session';
import { readNetworkIdentity } from './network-identity';
import type { ColoPartResult, GuestNetworkIdentity, MigrationPartResult, PartRunnerResult } from './outcome';
import type { PartRunner } from './run-parts';

/** What the runners need: the lab, `up`'s collaborators, and where VM state lives. */
export interface LabRunContext {
  readonly lab: LabModel;
  readonly deps: UpDependencies;
  readonly stateRoot: string;
  readonly remoteStateRoot?: string;
  /** How long each benchmark of a COLO pair's cost runs, each time (default {@link DEFAULT_COST_SECONDS}). */
  readonly coloCostSeconds?: number;
}

/** The QEMU release from which COLO checkpoints under TCG (README, COLO: 7.2 deadlocks at the first one, 10.0 never enters COLO). */
export const COLO_TCG_FIRST_WORKING = { major: 11, minor: 1 } as const;

/** How long the held session may take to print its first line before the migration starts anyway. */
const SESSION_START_TIMEOUT_MS = 20_000;
/** How long the held session runs before the migration starts (a fresh lab run saw 1 line without it). */
const SESSION_BEFORE_MS = 2_000;
/** Lines the held session must print after the migration to tell it went on (3 s of them). */
const SESSION_AFTER_LINES = 15;
/** How long those lines may take: TCP retransmits held up at the switch-over back off, up to seconds apart. */
const SESSION_AFTER_TIMEOUT_MS = 30_000;

function vmOf(lab: LabModel, name: string): VmSpec {
  const vm = lab.vms.get(name);
  if (vm === undefined) throw new VmError(`The lab file has no VM "${name}".`, { hint: 'Check the lab file: qemu-lab check.' });
  return vm;
}

async function powerOff(ctx: LabRunContext, instance: VmInstance | undefined): Promise<void> {
  if (instance === undefined || !instance.alive) return;
  await ctx.deps.backend.powerDown(instance, { timeoutMs: 30_000, force: true });
}

async function identityOf(ctx: LabRunContext, instance: VmInstance, signal: AbortSignal | undefined): Promise<GuestNetworkIdentity | undefined> {
  const endpoint = instance.record.ssh;
  if (endpoint === undefined) return undefined;
  return readNetworkIdentity(ctx.deps.backend.systemOf(locationOf(instance.record)), endpoint, signal);
}

async function runMigration(ctx: LabRunContext, name: string, note: (text: string) => void, signal: AbortSignal | undefined): Promise<PartRunnerResult> {
  const { lab, deps } = ctx;
  const spec = lab.migrations.get(name);
  if (spec === undefined) throw new VmError(`The lab file has no migration "${name}".`, { hint: 'Check the lab file: qemu-lab check.' });
  const vm = vmOf(lab, spec.vm);
  const home: VmKey = { labPath: lab.path, vmName: vm.name, host: vm.host };
  note(`booting ${vm.name}`);
  const up = await upVm(lab, vm.name, deps, { signal, onStage: (stage) => note(`${vm.name}: ${stage}`) });
  try {
    const system = deps.backend.systemOf(locationOf(up.instance.record));
    const endpoint = up.instance.record.ssh;
    const guest = endpoint === undefined ? {} : await readGuestFacts(system, endpoint, signal);
    const networkBefore = await identityOf(ctx, up.instance, signal);
    // A session opened before the migration, from where the guest was: does it go on after?
    const session = endpoint === undefined ? undefined : holdGuestSession(system, endpoint);
    let run: Awaited<ReturnType<typeof migrateAndStore>>;
    let heldSession: HeldSessionResult | undefined;
    try {
      await session?.started(SESSION_START_TIMEOUT_MS);
      // A few lines before the migration, so "it went on" compares a session seen running.
      if (session !== undefined) await sleep(SESSION_BEFORE_MS, signal);
      note(`migrating ${vm.name} to ${spec.to}${spec.during.length > 0 ? ` with ${spec.during.join(', ')}` : ''}`);
      session?.mark('migration-start');
      run = await migrateAndStore(requestFromLab(lab, name), deps, {
        migration: { signal, onPhase: (phase) => note(`${vm.name}: ${phase}`), onNote: note },
        during: duringRequestOf(spec),
        duringHooks: { onNote: note },
      });
      session?.mark('migration-end');
      await session?.wentOn(SESSION_AFTER_LINES, SESSION_AFTER_TIMEOUT_MS, signal);
    } finally {
      heldSession = await session?.close();
    }
    const moved = await deps.backend.find(home);
    const networkAfter = moved?.alive === true ? await identityOf(ctx, moved, signal).catch(() => undefined) : undefined;
    const recordId = run.stored.kind === 'nothing-to-store' ? undefined : run.stored.record.id;
    if (run.summary === undefined) {
      // The attempt is stored (when it started); the part failed, with QEMU's words.
      throw run.error;
    }
    const result: MigrationPartResult = { kind: 'migration', recordId, argv: up.instance.record.argv, guest, networkBefore, networkAfter, ...(heldSession === undefined ? {} : { heldSession }) };
    return { status: 'done', result };
  } finally {
    // A VM this part booted is powered off again, wherever it runs now; one that ran before stays.
    if (!up.alreadyRunning) await powerOff(ctx, await deps.backend.find(home)).catch(() => undefined);
  }
}

async function runColo(ctx: LabRunContext, name: string, note: (text: string) => void, signal: AbortSignal | undefined): Promise<PartRunnerResult> {
  const { lab, deps } = ctx;
  const vm = vmOf(lab, name);
  const ft = vm.faultTolerance;
  if (ft === undefined) throw new VmError(`VM "${name}" has no faultTolerance in the lab file.`, { hint: 'Add faultTolerance: { mode: colo, secondary: HOST } to it.' });
  const system = deps.backend.systemOf({ host: vm.host });
  const qemu = await deps.qemu(system, lab.hosts.get(vm.host)?.qemu);
  const kvm = vm.accel === 'tcg' ? false : (await deps.kvm(system)).usable;
  const { major, minor } = qemu.version;
  const working = major > COLO_TCG_FIRST_WORKING.major || (major === COLO_TCG_FIRST_WORKING.major && minor >= COLO_TCG_FIRST_WORKING.minor);
  if (!kvm && !working) {
    const want = `${COLO_TCG_FIRST_WORKING.major}.${COLO_TCG_FIRST_WORKING.minor}`;
    return {
      status: 'skipped',
      reason:
        `COLO under TCG needs QEMU ${want} or newer; host "${vm.host}" runs ${major}.${minor}.${qemu.version.micro}, where the first checkpoint deadlocks (7.2) or COLO is never entered (10.0) — see the README's COLO table. ` +
        `Install it with \`qemu-lab qemu install ${want}\`, set \`qemu: "${want}"\` on host "${vm.host}" under hosts:, and run \`qemu-lab run --only colo:${name}\`.`,
    };
  }
  note(`setting up the COLO pair of ${name} (QEMU ${major}.${minor})`);
  const seconds = ctx.coloCostSeconds ?? DEFAULT_COST_SECONDS;
  const targetOf = (instance: VmInstance): CostTarget => ({ system: deps.backend.systemOf(locationOf(instance.record)), record: instance.record });
  // The cost is one figure of the part: when it cannot be measured, the part says why and goes on.
  let costError: string | undefined;
  const failed = (error: unknown): undefined => {
    if (signal?.aborted === true) throw error;
    costError ??= describeError(error);
    return undefined;
  };
  let without: CostRun | undefined;
  try {
    const up = await coloUp(lab, name, deps, {
      stateRoot: ctx.stateRoot,
      remoteStateRoot: ctx.remoteStateRoot,
      signal,
      onStep: note,
      // The same QEMU process, before anything of COLO is added: the baseline.
      beforeColo: async (primary) => {
        without = await runCostBenchmarks(targetOf(primary), seconds, signal, (text) => note(`without COLO: ${text}`)).catch(failed);
      },
    });
    const look = checkpointLookMs(ft.checkpointDelayMs);
    note(look === undefined ? 'checkpoints come too seldom to be watched in a short look' : `watching the checkpoints for ${(look / 1000).toFixed(1)} s`);
    const status = await pairStatus(deps.backend, await loadPair(deps.backend, ctx.stateRoot, lab.path, name), undefined, look);
    const pair = await loadPair(deps.backend, ctx.stateRoot, lab.path, name);
    const primary = pair.primary.instance;
    const under =
      primary === undefined || costError !== undefined
        ? undefined
        : await runCostUnderColo(targetOf(primary), { connect: sideConnector(deps.backend, pair.primary), name }, seconds, signal, (text) => note(`with COLO: ${text}`)).catch(failed);
    note('failing over to the secondary');
    const record = await failOver(deps.backend, await loadPair(deps.backend, ctx.stateRoot, lab.path, name), { stateRoot: ctx.stateRoot, survivor: 'secondary', reason: 'lab run', onStep: note });
    let baseline: ColoCost['baseline'] = 'before-colo';
    if (without === undefined && under !== undefined && up.alreadyRunning) {
      // The pair ran before this part: no run before COLO could be had; the survivor runs alone now.
      baseline = 'survivor';
      const survivor = await deps.backend.find({ labPath: lab.path, vmName: name, host: vm.host });
      without = survivor?.alive === true ? await runCostBenchmarks(targetOf(survivor), seconds, signal, (text) => note(`the survivor alone: ${text}`)).catch(failed) : failed(new Error('the survivor of the failover was not found'));
    }
    const c = status.checkpoints;
    const cost = without === undefined || under === undefined ? undefined : coloCostOf(baseline, seconds, without, under.run, under.looks);
    const result: ColoPartResult = {
      kind: 'colo',
      qemuVersion: `${major}.${minor}.${qemu.version.micro}`,
      checkpointDelayMs: ft.checkpointDelayMs,
      enterColoMs: up.enterColoMs,
      checkpoints: c === undefined ? undefined : { lookMs: c.lookMs, count: c.count, intervalsMs: c.intervalsMs, pausesMs: c.pausesMs },
      failover: record.lastFailover === undefined ? undefined : { survivor: record.lastFailover.survivor, durationMs: record.lastFailover.durationMs },
      ...(cost === undefined ? {} : { cost }),
      ...(cost === undefined && costError !== undefined ? { costError } : {}),
    };
    return { status: 'done', result };
  } finally {
    // A `colo up` that failed has undone itself and removed the pair's record: nothing is left to bring down.
    const left = await readPairRecord(ctx.stateRoot, lab.path, name).catch(() => 'unreadable' as const);
    if (left !== undefined) await pairDown(deps.backend, ctx.stateRoot, lab.path, name).catch((error: unknown) => note(`could not bring the pair down: ${describeError(error)}`));
  }
}

/** The runner of every kind of part, over `ctx`. */
export function labPartRunner(ctx: LabRunContext): PartRunner {
  return async (part, _run, note, signal) => {
    if (part.kind === 'experiment') {
      const { run, runLog } = await runAndLogExperiment(ctx.lab, part.name, ctx.deps, {
        signal,
        onProgress: (p) => note(`[${p.done}/${p.planned}] ${p.message}`, p.etaSeconds),
      });
      if (runLog.kind === 'failed') note(`its run log was not written: ${describeError(runLog.error)}`);
      return { status: 'done', result: { kind: 'experiment', runId: run.runId, cells: countOutcomes(run.outcomes) } };
    }
    if (part.kind === 'migration') return runMigration(ctx, part.name, note, signal);
    return runColo(ctx, part.name, note, signal);
  };
}
