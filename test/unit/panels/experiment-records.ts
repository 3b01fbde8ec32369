/**
 * Result records of experiment runs, made the way the runner makes them (makeResultRecord on
 * parsed benchmark output from test/fixtures/bench), with the measured value of each repetition
 * set by the test. Used by the panel's unit tests and the results-panel e2e scenario.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchmarkOutput, type ParsedBenchmark } from '../../../extension/core/measuring/workloads/detect';
import type { RunLog } from '../../../extension/core/measuring/experiments/run-log';
import { makeResultRecord, type ResultRecord } from '../../../extension/core/measuring/results/record';

const fixtures = join(__dirname, '../../fixtures/bench');

const parsed = {
  'sysbench-cpu': parseBenchmarkOutput(readFileSync(join(fixtures, 'sysbench-1.0.20-cpu.txt'), 'utf8')),
  iperf3: parseBenchmarkOutput(readFileSync(join(fixtures, 'iperf3-3.12-client.json'), 'utf8')),
} as const;

/** A parsed result of the benchmark whose primary metric is `value`. */
function withValue(benchmark: keyof typeof parsed, value: number): ParsedBenchmark {
  const result = parsed[benchmark];
  if (result.benchmark === 'sysbench-cpu') return { ...result, eventsPerSecond: value };
  if (result.benchmark === 'iperf3') return { ...result, headline: { ...result.headline, bitsPerSecond: value } };
  throw new Error(`no fixture for ${benchmark}`);
}

/** One cell of a run: where it ran and the value of each repetition. */
export interface CellSpec {
  readonly benchmark: keyof typeof parsed;
  readonly target: 'host' | 'guest';
  readonly accel?: 'kvm' | 'tcg';
  readonly nic?: 'virtio' | 'e1000';
  readonly values: readonly number[];
}

/** The cell id the planner gives such a cell. */
export function cellId(spec: CellSpec): string {
  return spec.target === 'host' ? `host/${spec.benchmark}` : `guest/${spec.accel ?? 'tcg'}/${spec.nic ?? 'virtio'}/${spec.benchmark}`;
}

export const USER_NETWORK = "QEMU user networking (SLIRP): iperf numbers measure SLIRP's forwarding more than the NIC";

/** The records of one run: one per repetition of each cell, a second apart from `started`. */
export function runRecords(options: { experiment: string; runId: string; started: string; cells: readonly CellSpec[]; network?: string }): ResultRecord[] {
  let second = 0;
  return options.cells.flatMap((spec) =>
    spec.values.map((value, index) =>
      makeResultRecord({
        result: withValue(spec.benchmark, value),
        target: spec.target,
        host: 'local',
        experiment: options.experiment,
        timestamp: new Date(Date.parse(options.started) + 1000 * second++),
        metadata: {
          hostCpu: 'AMD EPYC 7B13',
          kernel: '6.1.0-28-amd64',
          qemuVersion: '7.2.15',
          qemuBinary: '/usr/bin/qemu-system-x86_64',
          labFileHash: 'ab'.repeat(32),
          runId: options.runId,
          cell: cellId(spec),
          repetition: index + 1,
          network: options.network ?? USER_NETWORK,
          toolVersions: { sysbench: '1.0.20' },
          ...(spec.target === 'guest'
            ? {
                accel: spec.accel ?? 'tcg',
                nic: spec.nic ?? 'virtio',
                matrix: { accel: spec.accel ?? 'tcg', nic: spec.nic ?? 'virtio' },
                guest: { vm: 'vm1', cpus: 1, memoryBytes: 1024 ** 3, machine: 'q35', image: 'builtin' },
              }
            : {}),
        },
      }),
    ),
  );
}

/** A run log as writeRunLog writes it. */
export function runLogOf(options: { experiment: string; runId: string; labPath: string; notDone?: RunLog['notDone']; network?: string }): RunLog {
  return {
    runId: options.runId,
    experiment: options.experiment,
    labPath: options.labPath,
    finishedAt: '2026-01-05T15:00:00.000Z',
    network: options.network ?? USER_NETWORK,
    repetitions: 5,
    durationSeconds: 10,
    notDone: options.notDone ?? [],
  };
}

/**
 * The course's experiment: sysbench-cpu on the host and under KVM and TCG with virtio, where KVM
 * is 9.6× faster than TCG by the medians (2400 vs 250 events/s), plus the e1000 cells skipped.
 */
export function kvmVsTcgRun(runId = 'run-2', started = '2026-01-05T14:03:00.000Z'): ResultRecord[] {
  return runRecords({
    experiment: 'kvm-vs-tcg',
    runId,
    started,
    cells: [
      { benchmark: 'sysbench-cpu', target: 'host', values: [2500, 2520, 2510, 2530, 2490] },
      { benchmark: 'sysbench-cpu', target: 'guest', accel: 'kvm', nic: 'virtio', values: [2390, 2400, 2410, 2380, 2420] },
      { benchmark: 'sysbench-cpu', target: 'guest', accel: 'tcg', nic: 'virtio', values: [248, 250, 252, 249, 400] },
    ],
  });
}

/** Records as `qemu-lab import` stores them (no experiment), one per value, from files `runs/cpu-N.txt`. */
export function importedRecords(values: readonly number[], label?: string): ResultRecord[] {
  return values.map((value, i) =>
    makeResultRecord({
      result: withValue('sysbench-cpu', value),
      target: 'unknown',
      host: 'unknown',
      ...(label === undefined ? {} : { label }),
      metadata: { source: { file: `runs/cpu-${i}.txt`, sha256: 'x' } },
    }),
  );
}
