import { VmError } from '../../errors';
import type { KvmStatus } from '../../infrastructure/hosts/probes/kvm';
import type { Accel, BenchmarkName, ExperimentSpec, IperfDirection, LabModel, NetworkSpec, NicModel, VmSpec } from '../../lab/model';

/** One configuration of the guest: a point of the matrix. */
export interface GuestConfig {
  readonly accel: Accel;
  readonly nic: NicModel;
  /** Why this configuration cannot run on its host; undefined when it can. */
  readonly skipped: string | undefined;
}

/** One series of measurements: a benchmark on a target, in a configuration (guests only). */
export interface PlannedCell {
  /** Stable within a plan: `guest/tcg/virtio/sysbench-cpu`, `guest/tcg/virtio/iperf3/from-guest`, `host/sysbench-cpu`. */
  readonly id: string;
  readonly target: 'host' | 'guest';
  readonly benchmark: BenchmarkName;
  /** Which way a guest's network benchmark sends; undefined for sysbench and for host cells. */
  readonly direction: IperfDirection | undefined;
  /** Undefined for host cells: the host's own numbers do not depend on the guest's matrix. */
  readonly config: GuestConfig | undefined;
}

/** Everything an experiment will do, decided before anything boots. */
export interface ExperimentPlan {
  readonly experiment: ExperimentSpec;
  readonly vm: VmSpec;
  readonly configs: readonly GuestConfig[];
  readonly cells: readonly PlannedCell[];
  /** Measured runs planned (repetitions × runnable cells), before the CV rule adds any. */
  readonly plannedRuns: number;
  /** The network the guest uses, in words, so every report says what was measured. */
  readonly network: string;
}

/** The name of the VM an experiment boots for one configuration; never the user's own VM. */
export function experimentVmName(vm: string, config: GuestConfig): string {
  return `${vm}.${config.accel}-${config.nic}`.slice(0, 64);
}

/**
 * Expands an experiment into configurations and cells. A configuration the host cannot run
 * (KVM where it is not usable) stays in the plan, marked skipped with the reason: reported,
 * not dropped and not failed.
 */
export function planExperiment(lab: LabModel, name: string, kvm: KvmStatus): ExperimentPlan {
  const experiment = lab.experiments.get(name);
  if (experiment === undefined) {
    const names = [...lab.experiments.keys()];
    throw new VmError(`The lab file ${lab.path} has no experiment "${name}".`, {
      hint: names.length > 0 ? `Its experiments are: ${names.join(', ')}.` : 'Add one under experiments: in the lab file.',
    });
  }
  const vm = lab.vms.get(experiment.vm);
  if (vm === undefined) throw new VmError(`Experiment "${name}" names VM "${experiment.vm}", which the lab file does not define.`);

  const accels = experiment.matrix.accel ?? [vm.accel];
  const nics = experiment.matrix.nic ?? [vm.nic];
  const configs: GuestConfig[] = [];
  for (const accel of accels) {
    for (const nic of nics) {
      const skipped = accel === 'kvm' && !kvm.usable ? `KVM is not usable on host "${vm.host}": ${kvm.reason}` : undefined;
      configs.push({ accel, nic, skipped });
    }
  }

  const cells: PlannedCell[] = [];
  if (experiment.targets.includes('host')) {
    for (const benchmark of experiment.benchmarks) cells.push({ id: `host/${benchmark}`, target: 'host', benchmark, direction: undefined, config: undefined });
  }
  if (experiment.targets.includes('guest')) {
    for (const config of configs) {
      for (const benchmark of experiment.benchmarks) {
        const id = `guest/${config.accel}/${config.nic}/${benchmark}`;
        if (!isNetworkBenchmark(benchmark)) {
          cells.push({ id, target: 'guest', benchmark, direction: undefined, config });
          continue;
        }
        for (const direction of experiment.directions) cells.push({ id: `${id}/${direction}`, target: 'guest', benchmark, direction, config });
      }
    }
  }
  const runnable = cells.filter((cell) => cell.config?.skipped === undefined).length;
  return {
    experiment,
    vm,
    configs,
    cells,
    plannedRuns: runnable * experiment.repetitions,
    network: describeNetwork(lab.networks.get(vm.network), vm.network),
  };
}

/** iperf3 and iperf: the benchmarks that have a direction. */
export function isNetworkBenchmark(benchmark: string): benchmark is 'iperf3' | 'iperf' {
  return benchmark === 'iperf3' || benchmark === 'iperf';
}

/** The network a guest is on, in the words every report uses. */
export function describeNetwork(network: NetworkSpec | undefined, name: string): string {
  if (network === undefined) return "QEMU user networking (SLIRP): iperf numbers measure SLIRP's forwarding more than the NIC";
  if (network.kind === 'isolated') return `isolated bridge network "${name}" (TAP on a bridge in a network namespace of its own, host side ${network.address})`;
  return `bridge network "${name}" (TAP on bridge ${network.bridge})`;
}
