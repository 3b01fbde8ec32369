/**
 * `sysbench cpu run` output → {@link SysbenchCpuResult}.
 *
 * ```
 * Prime numbers limit: 10000
 * CPU speed:
 *     events per second:  2522.92
 * General statistics:
 *     total time:                          1.0002s
 *     total number of events:              2525
 * Latency (ms):
 *          min:                                    0.22
 *          …
 * ```
 */
import { notSysbench, readSysbenchCommon, type SysbenchCommon } from './sysbench-common';
import { cleanText, finiteNumber } from './text';

/** What one `sysbench cpu run` measured. */
export interface SysbenchCpuResult extends SysbenchCommon {
  readonly benchmark: 'sysbench-cpu';
  /** `--cpu-max-prime`. */
  readonly primeLimit: number;
  /** Events (prime searches) per second: the figure to compare. */
  readonly eventsPerSecond: number;
  /**
   * True when sysbench did not print "events per second" (1.1.0 and 0.4.x do not) and the value
   * is total events ÷ total time.
   */
  readonly eventsPerSecondDerived: boolean;
}

const TOOL = 'sysbench cpu';

/**
 * Parses the output of `sysbench cpu run` (0.4.x, 1.0.x, 1.1). Prompt lines, warnings and
 * trailing junk around it are ignored. Throws a {@link BenchmarkError} for text that is not
 * sysbench cpu output, is cut short, or holds more than one run.
 */
export function parseSysbenchCpu(text: string): SysbenchCpuResult {
  const clean = cleanText(text);
  const limit = /Prime numbers limit:\s*(\d+)/.exec(clean)?.[1] ?? /Maximum prime number checked in CPU test:\s*(\d+)/.exec(clean)?.[1];
  if (limit === undefined || /Running memory speed test/.test(clean)) {
    throw notSysbench(clean, '`sysbench cpu run`', 'Prime numbers limit');
  }
  const common = readSysbenchCommon(clean, TOOL);
  const printed = /events per second:\s*([\d.]+)/.exec(clean)?.[1];
  const eventsPerSecond =
    printed !== undefined
      ? finiteNumber(printed, 'events per second', TOOL)
      : finiteNumber(String(common.totalEvents / common.totalTimeSeconds), 'events per second (total events ÷ total time)', TOOL);
  return {
    benchmark: 'sysbench-cpu',
    ...common,
    primeLimit: finiteNumber(limit, 'the prime numbers limit', TOOL),
    eventsPerSecond,
    eventsPerSecondDerived: printed === undefined,
  };
}
