/**
 * One stored measurement: a line of `.qemu-lab/results/results.jsonl`.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedBenchmark } from '../workloads/detect';
import { primaryMetric } from '../workloads/metric';
import type { BenchmarkName, BenchmarkTarget, IperfDirection } from '../../lab/model';
import { isJsonObject } from '../../infrastructure/support/json-object';

/** The record layout written today. Readers accept this and older ones. */
export const RESULT_SCHEMA_VERSION = 1;

/** What is known about the conditions of a run; every field is optional. */
export interface ResultMetadata {
  /** CPU model of the host the benchmark ran on (or whose guest it ran in). */
  readonly hostCpu?: string;
  /** Kernel release (`uname -r`) of the machine that ran the benchmark. */
  readonly kernel?: string;
  /** `7.2.0`. */
  readonly qemuVersion?: string;
  /** The QEMU program on the VM's host (`/usr/bin/qemu-system-x86_64`, or an installed version's wrapper). */
  readonly qemuBinary?: string;
  /** The accelerator in effect (`kvm`, `tcg`), not the one asked for. */
  readonly accel?: string;
  /** NIC model of the guest (`virtio-net-pci`, `e1000`). */
  readonly nic?: string;
  /** The guest as configured. */
  readonly guest?: {
    readonly vm?: string;
    readonly cpus?: number;
    readonly memoryBytes?: number;
    readonly machine?: string;
    readonly image?: string;
    /** The guest's own `uname -r`. */
    readonly kernel?: string;
    /** The CPU model the guest sees (its /proc/cpuinfo). */
    readonly cpu?: string;
    /**
     * The libvirt domain the VM adopted (`domain:`), when it is one: its `cpus` and `memoryBytes`
     * are then libvirt's (`virsh dominfo`), and it has no `machine` or `image` of the lab's.
     */
    readonly adoptedDomain?: string;
  };
  /** sha256 of the lab file, hex. */
  readonly labFileHash?: string;
  /** `git rev-parse HEAD` of the lab file's directory. */
  readonly gitCommit?: string;
  /** Tool name → version: `{ "sysbench": "1.0.20" }`. */
  readonly toolVersions?: Readonly<Record<string, string>>;
  /** Repetition number within its series, from 1. */
  readonly repetition?: number;
  /** One id per experiment run: the records of one `qemu-lab bench` share it. */
  readonly runId?: string;
  /** The cell of the experiment plan (`guest/tcg/virtio/sysbench-cpu`). */
  readonly cell?: string;
  /** Which way a guest's iperf3/iperf sent (`from-guest`: the guest sent); absent before directions were recorded, meaning `to-guest`. */
  readonly direction?: IperfDirection;
  /** The matrix point asked for (`{ accel: 'kvm', nic: 'virtio' }`); `accel` above is what ran. */
  readonly matrix?: Readonly<Record<string, string>>;
  /** The guest's network, in words (user networking measures SLIRP, a bridge measures the NIC). */
  readonly network?: string;
  /** For imported results: the file it came from and its sha256. */
  readonly source?: { readonly file: string; readonly sha256: string };
  /** For imported results: when it was imported (ISO 8601). */
  readonly importedAt?: string;
}

/** One measured run, as stored. */
export interface ResultRecord {
  /** Random UUID. */
  readonly id: string;
  /** {@link RESULT_SCHEMA_VERSION} at writing time. */
  readonly schema: number;
  /** When the run was measured (ISO 8601); for imports the tool's own timestamp if it printed one. */
  readonly timestamp: string;
  readonly experiment?: string;
  readonly label?: string;
  readonly benchmark: BenchmarkName;
  /** Where it ran; `unknown` for imported output. */
  readonly target: BenchmarkTarget | 'unknown';
  /** Lab host name (`local`, `lab-b`); `unknown` for imported output. */
  readonly host: string;
  readonly metric: { readonly name: string; readonly unit: string; readonly value: number; readonly higherIsBetter: boolean };
  /** The whole parsed result. */
  readonly raw: ParsedBenchmark;
  readonly metadata: ResultMetadata;
}

/** What {@link makeResultRecord} needs beyond the parsed result. */
export interface NewResult {
  readonly result: ParsedBenchmark;
  readonly target: BenchmarkTarget | 'unknown';
  readonly host: string;
  readonly experiment?: string;
  readonly label?: string;
  readonly timestamp?: Date;
  readonly metadata?: ResultMetadata;
}

/** A new record with a fresh id, the current schema, and the metric taken from the result. */
export function makeResultRecord(input: NewResult): ResultRecord {
  const metric = primaryMetric(input.result);
  return {
    id: randomUUID(),
    schema: RESULT_SCHEMA_VERSION,
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    ...(input.experiment === undefined ? {} : { experiment: input.experiment }),
    ...(input.label === undefined ? {} : { label: input.label }),
    benchmark: input.result.benchmark,
    target: input.target,
    host: input.host,
    metric,
    raw: input.result,
    metadata: input.metadata ?? {},
  };
}

const BENCHMARKS: readonly string[] = ['sysbench-cpu', 'sysbench-memory', 'iperf3', 'iperf'];
const TARGETS: readonly string[] = ['host', 'guest', 'unknown'];
const DIRECTIONS: readonly string[] = ['to-guest', 'from-guest'];

/**
 * Which way a guest's iperf3/iperf record sent: as recorded, or `to-guest` for records from
 * before directions were recorded (the host always sent then). Undefined for every other record.
 */
export function directionOf(record: ResultRecord): IperfDirection | undefined {
  if (record.target !== 'guest' || (record.benchmark !== 'iperf3' && record.benchmark !== 'iperf')) return undefined;
  return record.metadata.direction ?? 'to-guest';
}

/**
 * The plan cell a record belongs to. Guest iperf cells of older records carry no direction in
 * their id (`guest/tcg/virtio/iperf3`); they get `/to-guest`, so a history runs on across the change.
 */
export function cellOf(record: ResultRecord): string {
  const cell = record.metadata.cell ?? `${record.target}/${record.benchmark}`;
  const direction = directionOf(record);
  return direction === undefined || record.metadata.direction !== undefined || cell.endsWith(`/${direction}`) ? cell : `${cell}/${direction}`;
}

/** The metric value `raw` gives, or undefined when its shape is not a parsed result's. */
function rawMetricValue(raw: Record<string, unknown>): number | undefined {
  try {
    return primaryMetric(raw as unknown as ParsedBenchmark).value;
  } catch {
    // A stored raw result shaped otherwise (a field null or missing) makes primaryMetric throw.
    return undefined;
  }
}

/**
 * Checks that a parsed JSON value is a record this version can read. Returns the record, or a
 * sentence saying what is wrong with it.
 */
export function checkResultRecord(value: unknown): { ok: true; record: ResultRecord } | { ok: false; problem: string } {
  if (!isJsonObject(value)) return { ok: false, problem: 'not a JSON object' };
  const { id, schema, timestamp, benchmark, target, host, metric, raw, metadata } = value;
  if (typeof schema !== 'number' || !Number.isSafeInteger(schema) || schema < 1) return { ok: false, problem: 'no schema version' };
  if (schema > RESULT_SCHEMA_VERSION) {
    return { ok: false, problem: `written with result schema ${schema}, newer than this QEMU Lab reads (${RESULT_SCHEMA_VERSION}); update QEMU Lab` };
  }
  if (typeof id !== 'string' || id === '') return { ok: false, problem: 'no id' };
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) return { ok: false, problem: 'no valid timestamp' };
  if (typeof benchmark !== 'string' || !BENCHMARKS.includes(benchmark)) return { ok: false, problem: `unknown benchmark ${JSON.stringify(benchmark)}` };
  if (typeof target !== 'string' || !TARGETS.includes(target)) return { ok: false, problem: `unknown target ${JSON.stringify(target)}` };
  if (typeof host !== 'string') return { ok: false, problem: 'no host' };
  if (metadata !== undefined && !isJsonObject(metadata)) return { ok: false, problem: 'metadata is not an object' };
  if (metadata?.direction !== undefined && !DIRECTIONS.includes(metadata.direction as string)) {
    return { ok: false, problem: `unknown direction ${JSON.stringify(metadata.direction)}` };
  }
  if (!isJsonObject(metric) || typeof metric.name !== 'string' || typeof metric.unit !== 'string' || typeof metric.value !== 'number' || !Number.isFinite(metric.value)) {
    return { ok: false, problem: 'no metric with a name, a unit and a finite value' };
  }
  if (!isJsonObject(raw) || raw.benchmark !== benchmark) return { ok: false, problem: 'raw result missing or of another benchmark' };
  // Reports chart the metric and read it again from the raw result: the two must agree.
  if (rawMetricValue(raw) !== metric.value) return { ok: false, problem: 'the raw result does not give the record\'s metric' };
  for (const key of ['experiment', 'label'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return { ok: false, problem: `${key} is not text` };
  }
  return { ok: true, record: { ...value, metadata: metadata ?? {} } as unknown as ResultRecord };
}
