/**
 * The `experiments:` section: benchmark runs over every combination of a VM's matrix axes.
 */
import type { DiagnosticCollector } from './diagnostic';
import { MapReader } from './fields';
import type { ExperimentSpec, VmSpec } from './model';
import { refusalFor } from './adopted-refusals';
import { checkNic } from './nic';
import type { References } from './references';
import { buildEntries, type NamedEntry } from './section';
import { ACCELS, BENCHMARKS, DIRECTIONS, EXPERIMENT_DEFAULTS, EXPERIMENT_KEYS, LIMITS, MATRIX_KEYS, TARGETS } from './vocabulary';
import { isSnapshotName, SNAPSHOT_NAME_RULE } from '../snapshots/snapshot-name';
import { parseDuration } from './sizes';
import { quote } from './wording';

/** Builds the experiments of a lab file; an experiment without a usable VM is left out (and reported). */
export function readExperiments(
  entries: readonly NamedEntry[],
  vms: ReadonlyMap<string, VmSpec>,
  references: References,
  diagnostics: DiagnosticCollector,
): Map<string, ExperimentSpec> {
  return buildEntries(entries, (entry) => readExperiment(entry, vms, references, diagnostics));
}

function readExperiment(
  { name, span, body }: NamedEntry,
  vms: ReadonlyMap<string, VmSpec>,
  references: References,
  diagnostics: DiagnosticCollector,
): ExperimentSpec | undefined {
  const owner = `experiment ${quote(name)}`;
  const reader = new MapReader(body, owner, EXPERIMENT_KEYS, diagnostics);
  const vm = reader.requiredString('vm', 'the name of a VM', 'say which VM it runs on: add "vm: <name>"', span);
  if (vm !== undefined) references.vm(owner, vm);

  const matrix = reader.mapping('matrix', MATRIX_KEYS);
  const accel = matrix?.choiceList('accel', ACCELS, 'accelerator');
  const nic = matrix?.stringList('nic', { check: (item) => checkNic(matrix, 'nic', item) });
  const targets = reader.choiceList('targets', TARGETS, 'target');
  const benchmarks = reader.choiceList('benchmarks', BENCHMARKS, 'benchmark');
  const directions = reader.choiceList('direction', DIRECTIONS, 'direction');
  const repetitions = reader.integer('repetitions', LIMITS.repetitions);
  const duration = reader.quantity('duration', parseDuration, 'bad-duration');
  const { min, max } = LIMITS.experimentDurationMs;
  if (duration !== undefined && (duration.value < min || duration.value > max)) {
    diagnostics.error('out-of-range', duration.span, `${owner}: duration is ${min / 1000}s to ${max / 1000}s per run`);
  }

  const fromSnapshot = reader.string('fromSnapshot', 'a snapshot name');
  if (fromSnapshot !== undefined && !isSnapshotName(fromSnapshot.value)) {
    diagnostics.error('bad-snapshot-name', fromSnapshot.span, `${owner}: fromSnapshot ${quote(fromSnapshot.value)} is not a snapshot name: ${SNAPSHOT_NAME_RULE}`);
  }

  const adopted = vm === undefined ? undefined : vms.get(vm.value);
  if (adopted !== undefined) {
    for (const [feature, span] of [['matrix', reader.keySpan('matrix')], ['fromSnapshot', reader.keySpan('fromSnapshot')]] as const) {
      const refusal = span === undefined ? undefined : refusalFor(adopted, feature);
      if (refusal !== undefined && span !== undefined) diagnostics.error('adopted-domain-feature', span, `${owner}: ${refusal.problem}. ${refusal.hint}`);
    }
  }

  if (vm === undefined || !vms.has(vm.value)) return undefined;
  return {
    name,
    vm: vm.value,
    matrix: { accel: nonEmpty(accel?.value), nic: nonEmpty(nic?.value) },
    targets: nonEmpty(targets?.value) ?? [...EXPERIMENT_DEFAULTS.targets],
    benchmarks: nonEmpty(benchmarks?.value) ?? [...EXPERIMENT_DEFAULTS.benchmarks],
    directions: nonEmpty(directions?.value) ?? [...EXPERIMENT_DEFAULTS.direction],
    repetitions: repetitions?.value ?? EXPERIMENT_DEFAULTS.repetitions,
    durationSeconds:
      duration !== undefined && duration.value >= min && duration.value <= max
        ? duration.value / 1000
        : defaultDurationSeconds(),
    fromSnapshot: fromSnapshot !== undefined && isSnapshotName(fromSnapshot.value) ? fromSnapshot.value : undefined,
    span,
  };
}

/** A list with every item invalid reads as no list at all. */
function nonEmpty<T>(values: T[] | undefined): T[] | undefined {
  return values !== undefined && values.length > 0 ? values : undefined;
}

function defaultDurationSeconds(): number {
  const parsed = parseDuration(EXPERIMENT_DEFAULTS.duration);
  return parsed.ok ? parsed.value / 1000 : 10;
}
