/**
 * The parts of a lab run (`qemu-lab run`): every experiment, migration and COLO pair of the lab
 * file, in the file's order, each keyed by its lab entry, with how long it is expected to take
 * (from the declared durations and repetitions), for the ETA of the whole run.
 */
import { checkpointLookMs } from '../colo/checkpoints';
import { COST_BENCHMARKS, DEFAULT_COST_SECONDS } from '../colo/cost';
import { planExperiment } from '../measuring/experiments/plan';
import type { KvmStatus } from '../infrastructure/hosts/probes/kvm';
import type { LabModel } from '../lab/model';
import { closestMatch } from '../lab/suggest';
import { DURING_DEFAULT_LEAD_SECONDS, DURING_DEFAULT_TAIL_SECONDS } from '../migration/during/from-lab';

/** What a part runs. */
export type LabPartKind = 'experiment' | 'migration' | 'colo';

/** One part of the run: a lab entry. */
export interface LabPart {
  /** `experiment:NAME`, `migration:NAME`, `colo:VM`: unique in a lab, the key of its section in the report. */
  readonly key: string;
  readonly kind: LabPartKind;
  /** The entry's name (the VM's, for a COLO pair). */
  readonly name: string;
  /** Expected length in seconds, for the ETA (an estimate, never a bound). */
  readonly estimateSeconds: number;
}

/**
 * The planning figures behind the estimates, in seconds. A built-in guest boots to SSH in 20–40 s
 * under TCG here; each measured cell adds its warm-up run and some SSH round trips.
 */
export const ESTIMATE = {
  bootSeconds: 35,
  cellOverheadSeconds: 3,
  /** An idle 512 MiB–1 GiB guest migrates in 5–20 s over loopback; 15 s with its checks around it. */
  migrationSeconds: 15,
  /** Guest network facts before and after, and the power-off. */
  migrationChecksSeconds: 10,
  /** COLO set-up after the primary booted (the secondary, the first COLO migration: 5–30 s here). */
  coloSetUpSeconds: 30,
  /** A failover and the pair coming down. */
  coloFailoverSeconds: 10,
  /**
   * Around each sysbench run of COLO's cost: the SSH session, and sysbench's own start and end
   * (slower in COLO: every packet of the session is compared, and forces checkpoints).
   */
  coloCostOverheadSeconds: 5,
} as const;

/** The key of a part. */
export function partKey(kind: LabPartKind, name: string): string {
  return `${kind}:${name}`;
}

function experimentEstimate(lab: LabModel, name: string, kvm: KvmStatus): number {
  const plan = planExperiment(lab, name, kvm);
  const { repetitions, durationSeconds } = plan.experiment;
  const runnable = plan.cells.filter((cell) => cell.config?.skipped === undefined);
  const boots = plan.configs.filter((c) => c.skipped === undefined).length;
  return boots * ESTIMATE.bootSeconds + runnable.length * ((repetitions + 1) * durationSeconds + ESTIMATE.cellOverheadSeconds);
}

/**
 * Every part of `lab`, in the file's order: experiments, then migrations, then COLO pairs (the
 * VMs with `faultTolerance`). `kvm` is what the VM's host says of KVM (cells it cannot run take
 * no time); `coloCostSeconds`, how long each of COLO's cost benchmarks runs.
 */
export function labParts(lab: LabModel, kvm: KvmStatus, coloCostSeconds = DEFAULT_COST_SECONDS): LabPart[] {
  const parts: LabPart[] = [];
  for (const name of lab.experiments.keys()) parts.push({ key: partKey('experiment', name), kind: 'experiment', name, estimateSeconds: experimentEstimate(lab, name, kvm) });
  for (const spec of lab.migrations.values()) {
    // The baseline, then a run around the migration at least as long, with its lead and tail.
    const during = spec.during.length === 0 ? 0 : spec.duringSeconds * 2 + DURING_DEFAULT_LEAD_SECONDS + DURING_DEFAULT_TAIL_SECONDS;
    parts.push({ key: partKey('migration', spec.name), kind: 'migration', name: spec.name, estimateSeconds: ESTIMATE.bootSeconds + during + ESTIMATE.migrationSeconds + ESTIMATE.migrationChecksSeconds });
  }
  for (const vm of lab.vms.values()) {
    const ft = vm.faultTolerance;
    if (ft === undefined) continue;
    // The part looks at the idle checkpoints for as long as `colo status` does (none when they come too seldom).
    const look = (checkpointLookMs(ft.checkpointDelayMs) ?? 0) / 1000;
    // Its cost: each benchmark without COLO and as the COLO primary.
    const cost = 2 * COST_BENCHMARKS.length * (coloCostSeconds + ESTIMATE.coloCostOverheadSeconds);
    parts.push({ key: partKey('colo', vm.name), kind: 'colo', name: vm.name, estimateSeconds: ESTIMATE.bootSeconds + ESTIMATE.coloSetUpSeconds + look + cost + ESTIMATE.coloFailoverSeconds });
  }
  return parts;
}

/**
 * The parts `--only WHAT` names: a key (`migration:move`) or an entry's bare name when only one
 * part has it. Undefined `only`: every part.
 */
export function selectParts(parts: readonly LabPart[], only: string | undefined): { ok: true; parts: LabPart[] } | { ok: false; message: string } {
  if (only === undefined) return { ok: true, parts: [...parts] };
  const byKey = parts.filter((p) => p.key === only);
  if (byKey.length === 1) return { ok: true, parts: byKey };
  const byName = parts.filter((p) => p.name === only);
  if (byName.length === 1) return { ok: true, parts: byName };
  if (byName.length > 1) return { ok: false, message: `"${only}" names ${byName.length} parts; say which: ${byName.map((p) => p.key).join(', ')}` };
  const keys = parts.map((p) => p.key);
  const guess = closestMatch(only, [...keys, ...parts.map((p) => p.name)]);
  return {
    ok: false,
    message: `this lab has no part "${only}"; ${guess !== undefined ? `did you mean "${guess}"? ` : ''}${keys.length === 0 ? 'it declares no experiment, migration or COLO pair' : `its parts are ${keys.join(', ')}`}`,
  };
}
