/**
 * `sysbench memory run` output → {@link SysbenchMemoryResult}.
 *
 * ```
 * Running memory speed test with the following options:
 *   block size: 1KiB
 *   total size: 102400MiB
 *   operation: write
 *   scope: global
 * Total operations: 7083848 (7078511.04 per second)
 * 6917.82 MiB transferred (6912.61 MiB/sec)
 * ```
 */
import { BenchmarkError } from './errors';
import { notSysbench, readSysbenchCommon, type SysbenchCommon } from './sysbench-common';
import { binaryFactor, cleanText, finiteNumber } from './text';

/** What one `sysbench memory run` measured. */
export interface SysbenchMemoryResult extends SysbenchCommon {
  readonly benchmark: 'sysbench-memory';
  /** `--memory-block-size`, in bytes. */
  readonly blockSizeBytes: number;
  /** `--memory-total-size`, in bytes. */
  readonly totalSizeBytes: number;
  /** `--memory-oper`. */
  readonly operation: 'read' | 'write' | 'none';
  /** `--memory-scope`. */
  readonly scope: 'global' | 'local';
  readonly totalOperations: number;
  readonly operationsPerSecond: number;
  /** MiB moved in the run. */
  readonly mibTransferred: number;
  /** MiB per second: the figure to compare. */
  readonly mibPerSecond: number;
}

const TOOL = 'sysbench memory';

function size(text: string, label: string): number {
  const match = new RegExp(`${label}:\\s*([\\d.]+)\\s*([KMGT]?)(?:i?B)?\\b`).exec(text);
  if (match?.[1] === undefined) {
    throw new BenchmarkError(`${TOOL} output has no "${label}:" line under "Running memory speed test".`);
  }
  return finiteNumber(String(Number(match[1]) * binaryFactor(match[2] ?? '')), label, TOOL);
}

function word<T extends string>(text: string, label: string, allowed: readonly T[]): T {
  const found = new RegExp(`^\\s*${label}:\\s*(\\w+)`, 'm').exec(text)?.[1];
  const value = allowed.find((a) => a === found);
  if (value === undefined) {
    throw new BenchmarkError(`${TOOL} output has ${label} "${found ?? ''}", expected one of ${allowed.join(', ')}.`);
  }
  return value;
}

/**
 * Parses the output of `sysbench memory run` (1.0.x, 1.1). Prompt lines and trailing junk around
 * it are ignored. Throws a {@link BenchmarkError} for text that is not sysbench memory output,
 * is cut short, or holds more than one run.
 */
export function parseSysbenchMemory(text: string): SysbenchMemoryResult {
  const clean = cleanText(text);
  if (!/Running memory speed test/.test(clean)) {
    throw notSysbench(clean, '`sysbench memory run`', 'Running memory speed test');
  }
  const common = readSysbenchCommon(clean, TOOL);
  const operations = /Total operations:\s*(\d+)\s*\(\s*([\d.]+)\s*per second\s*\)/.exec(clean);
  if (operations?.[1] === undefined || operations[2] === undefined) {
    throw new BenchmarkError(`${TOOL} output is incomplete: found no "Total operations: N (X per second)" line.`);
  }
  const transferred = /([\d.]+)\s*Mi?B transferred\s*\(\s*([\d.]+)\s*Mi?B\/sec\s*\)/.exec(clean);
  if (transferred?.[1] === undefined || transferred[2] === undefined) {
    throw new BenchmarkError(`${TOOL} output is incomplete: found no "N MiB transferred (X MiB/sec)" line.`);
  }
  return {
    benchmark: 'sysbench-memory',
    ...common,
    blockSizeBytes: size(clean, 'block size'),
    totalSizeBytes: size(clean, 'total size'),
    operation: word(clean, 'operation', ['read', 'write', 'none'] as const),
    scope: word(clean, 'scope', ['global', 'local'] as const),
    totalOperations: finiteNumber(operations[1], 'total operations', TOOL),
    operationsPerSecond: finiteNumber(operations[2], 'operations per second', TOOL),
    mibTransferred: finiteNumber(transferred[1], 'MiB transferred', TOOL),
    mibPerSecond: finiteNumber(transferred[2], 'MiB/sec', TOOL),
  };
}
