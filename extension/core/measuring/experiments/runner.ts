import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { summarize, shouldRunAnotherRepetition, type Summary } from '../workloads/stats';
import { primaryMetric } from '../workloads/metric';
import { describeError } from '../../errors';
import type { LabModel, VmSpec } from '../../lab/model';
import { gitCommitOf, localHostFacts, metadataFromResult, sha256OfFile } from '../results/metadata';
import { makeResultRecord, type ResultMetadata, type ResultRecord } from '../results/record';
import { appendResult } from '../results/store';
import type { VmInstance } from '../../machines/vm/backend';
import { upVm, type UpDependencies } from '../../machines/vm/up';
import { readGuestFacts } from '../../machines/guest-access/guest-facts';
import { adoptedGuestMetadata } from './adopted-guest';
import { takeStartSnapshot, type RestoreStart } from './from-snapshot';
import { guestToolProblems } from './guest-tools';
import { measureOnce, type MeasureTarget } from './measure';
import { experimentVmName, planExperiment, type ExperimentPlan, type GuestConfig, type PlannedCell } from './plan';

/** How a cell ended. */
export type CellOutcome =
  | { readonly cell: PlannedCell; readonly status: 'done'; readonly summary: Summary; readonly accel: string | undefined; readonly note: string }
  | { readonly cell: PlannedCell; readonly status: 'skipped' | 'failed'; readonly reason: string };

/** Progress after each measured run. */
export interface ExperimentProgress {
  readonly done: number;
  /** Planned measured runs; the CV rule may add some. */
  readonly planned: number;
  /** Seconds left, from the mean time of the runs so far; undefined before the first. */
  readonly etaSeconds: number | undefined;
  readonly message: string;
}

/** What a whole experiment run produced. */
export interface ExperimentRun {
  readonly runId: string;
  readonly plan: ExperimentPlan;
  readonly outcomes: readonly CellOutcome[];
}

/** Options for {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Where results go: `<dir>/.qemu-lab/results/`. Default: the lab file's folder. */
  readonly resultsDir?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ExperimentProgress) => void;
  /** Called as each cell finishes, so results appear while the rest runs. */
  readonly onCell?: (outcome: CellOutcome) => void;
  /** Overrides of the lab file's values, e.g. from the CLI. */
  readonly repetitions?: number;
  readonly durationSeconds?: number;
}

/**
 * Runs an experiment for real: the host cells, then for each configuration of the matrix a VM
 * of its own (never the user's running VM), each benchmark with a warm-up run that is thrown
 * away, then repetitions until the coefficient of variation is at most 3 % or twice the planned
 * count (the Phoronix Test Suite rule). With `fromSnapshot` the VM is snapshotted once booted and
 * every warm-up and repetition starts by loading that snapshot. Every measured run is appended to the result store at
 * once, so a crash loses nothing measured. Cancelling stops and removes the VMs it started.
 */
export async function runExperiment(lab: LabModel, name: string, deps: UpDependencies, options: RunExperimentOptions = {}): Promise<ExperimentRun> {
  const vmSpec = lab.experiments.get(name) === undefined ? undefined : lab.vms.get(lab.experiments.get(name)?.vm ?? '');
  const system = deps.backend.systemOf({ host: vmSpec?.host ?? 'local' });
  const kvm = await deps.kvm(system);
  const planned = planExperiment(lab, name, kvm);
  const repetitions = options.repetitions ?? planned.experiment.repetitions;
  const durationSeconds = options.durationSeconds ?? planned.experiment.durationSeconds;
  const plan: ExperimentPlan = { ...planned, plannedRuns: (planned.plannedRuns / planned.experiment.repetitions) * repetitions };
  const runId = randomUUID();
  const resultsDir = options.resultsDir ?? dirname(lab.path);
  const { version, binary } = await deps.qemu(system, lab.hosts.get(vmSpec?.host ?? 'local')?.qemu);
  const base: ResultMetadata = {
    ...(await localHostFacts()),
    qemuVersion: `${version.major}.${version.minor}.${version.micro}`,
    qemuBinary: binary,
    labFileHash: await sha256OfFile(lab.path),
    gitCommit: await gitCommitOf(dirname(lab.path)),
    runId,
    network: plan.network,
  };
  const outcomes: CellOutcome[] = [];
  const started = Date.now();
  let done = 0;
  const finish = (outcome: CellOutcome) => {
    outcomes.push(outcome);
    options.onCell?.(outcome);
  };
  const progress = (message: string) => {
    const perRun = done > 0 ? (Date.now() - started) / 1000 / done : undefined;
    // The CV rule may add runs beyond the plan; the count planned then grows with them.
    const plannedNow = Math.max(plan.plannedRuns, done);
    options.onProgress?.({ done, planned: plannedNow, etaSeconds: perRun === undefined ? undefined : (plannedNow - done) * perRun, message });
  };

  /** Warm-up, then repetitions until the CV rule is satisfied; each run stored as it lands. */
  const series = async (cell: PlannedCell, target: MeasureTarget, metadata: ResultMetadata, restore: RestoreStart | undefined): Promise<CellOutcome> => {
    /** Back to the start snapshot, if the experiment has one: before the warm-up and each repetition. */
    const fromStart = async () => {
      if (restore === undefined) return;
      progress(`${cell.id}: back to snapshot ${restore.name}`);
      await restore.load();
    };
    await fromStart();
    progress(`${cell.id}: warm-up`);
    await measureOnce(cell.benchmark, target, { durationSeconds, direction: cell.direction, signal: options.signal });
    const values: number[] = [];
    let decision = shouldRunAnotherRepetition(values, repetitions);
    while (decision.runAnother) {
      options.signal?.throwIfAborted();
      await fromStart();
      const result = await measureOnce(cell.benchmark, target, { durationSeconds, direction: cell.direction, signal: options.signal });
      const extra = metadataFromResult(result);
      const record: ResultRecord = makeResultRecord({
        result,
        target: cell.target,
        host: planned.vm.host,
        experiment: name,
        metadata: { ...base, ...metadata, ...extra, kernel: extra.kernel ?? metadata.kernel ?? base.kernel, cell: cell.id, ...(cell.direction === undefined ? {} : { direction: cell.direction }), repetition: values.length + 1 },
      });
      await appendResult(resultsDir, record);
      values.push(primaryMetric(result).value);
      done += 1;
      decision = shouldRunAnotherRepetition(values, repetitions);
      progress(`${cell.id}: run ${values.length} — ${decision.reason}`);
    }
    return { cell, status: 'done', summary: summarize(values), accel: metadata.accel, note: decision.reason };
  };

  const runCells = async (cells: readonly PlannedCell[], target: MeasureTarget, metadata: ResultMetadata, restore?: RestoreStart) => {
    for (const cell of cells) {
      try {
        finish(await series(cell, target, metadata, restore));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        finish({ cell, status: 'failed', reason: describeError(error) });
      }
    }
  };

  await runCells(plan.cells.filter((c) => c.target === 'host'), { kind: 'host', system }, {});

  for (const config of plan.configs) {
    const cells = plan.cells.filter((c) => c.target === 'guest' && c.config === config);
    if (cells.length === 0) continue;
    if (config.skipped !== undefined) {
      for (const cell of cells) finish({ cell, status: 'skipped', reason: config.skipped });
      continue;
    }
    const { variantLab, vmName } = labWithVariant(lab, plan.vm, config);
    let instance: VmInstance | undefined;
    // An adopted domain that was running before the experiment is the user's running machine: left running after it.
    let leaveRunning = false;
    try {
      progress(`${vmName}: booting (${config.accel}, ${config.nic})`);
      const up = await upVm(variantLab, vmName, deps, { signal: options.signal });
      instance = up.instance;
      leaveRunning = planned.vm.adopted !== undefined && up.alreadyRunning;
      const status = await deps.backend.status(instance);
      const ssh = instance.record.ssh;
      const seen = ssh === undefined ? {} : await readGuestFacts(system, ssh, options.signal);
      const missing = ssh === undefined ? new Map<string, string>() : await guestToolProblems(system, ssh, [...new Set(cells.map((c) => c.benchmark))], planned.vm.name, options.signal);
      for (const cell of cells) {
        const reason = missing.get(cell.benchmark);
        if (reason !== undefined) finish({ cell, status: 'failed', reason });
      }
      const fromSnapshot = planned.experiment.fromSnapshot;
      let restore: RestoreStart | undefined;
      if (fromSnapshot !== undefined) {
        progress(`${vmName}: taking snapshot ${fromSnapshot} to start each run from`);
        try {
          restore = await takeStartSnapshot(deps.backend, variantLab, instance, fromSnapshot);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          const reason = `fromSnapshot ${fromSnapshot}: ${describeError(error)}`;
          for (const cell of cells) if (!outcomes.some((o) => o.cell === cell)) finish({ cell, status: 'failed', reason });
          continue;
        }
      }
      await runCells(cells.filter((c) => !missing.has(c.benchmark)), { kind: 'guest', system, record: instance.record }, {
        accel: status.accel,
        nic: config.nic,
        matrix: { accel: config.accel, nic: config.nic },
        guest: { ...(await configuredGuest(planned.vm, deps, options.signal)), ...seen },
      }, restore);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = `the VM did not boot: ${describeError(error)}`;
      for (const cell of cells) if (!outcomes.some((o) => o.cell === cell)) finish({ cell, status: 'failed', reason });
    } finally {
      if (instance !== undefined && !leaveRunning) {
        const current = await deps.backend.find(instance.record).catch(() => undefined);
        if (current?.alive) await deps.backend.powerDown(current, { timeoutMs: 20_000, force: true }).catch(() => deps.backend.kill(current));
      }
    }
  }
  return { runId, plan, outcomes };
}

/** The guest as configured: the lab's VM, or for an adopted domain what libvirt says of it. */
async function configuredGuest(vm: VmSpec, deps: UpDependencies, signal: AbortSignal | undefined): Promise<NonNullable<ResultMetadata['guest']>> {
  const { adopted } = vm;
  if (adopted !== undefined && deps.libvirt !== undefined) return adoptedGuestMetadata(deps.libvirt.virsh(vm.host), { name: vm.name, adopted }, signal);
  return { vm: vm.name, cpus: vm.cpus, memoryBytes: vm.memoryBytes, machine: vm.machine, image: vm.image };
}

/** The lab with one more VM: the experiment's VM in one configuration, under its own name. */
function labWithVariant(lab: LabModel, vm: VmSpec, config: GuestConfig): { variantLab: LabModel; vmName: string } {
  const vmName = experimentVmName(vm.name, config);
  const vms = new Map(lab.vms);
  vms.set(vmName, { ...vm, name: vmName, accel: config.accel, nic: config.nic, sshPort: undefined });
  return { variantLab: { ...lab, vms }, vmName };
}
