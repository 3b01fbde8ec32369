/**
 * The one number each benchmark is compared by, with its name and unit.
 */
import type { ParsedBenchmark } from './detect';
import { formatBitsPerSecond } from './text';

/** The figure a result is compared and charted by. */
export interface PrimaryMetric {
  /** `events per second`, `memory throughput`, `throughput (receiver)`. */
  readonly name: string;
  /** `events/s`, `MiB/s`, `bit/s`. */
  readonly unit: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
}

/** The figure to compare for a parsed result. */
export function primaryMetric(result: ParsedBenchmark): PrimaryMetric {
  switch (result.benchmark) {
    case 'sysbench-cpu':
      return { name: 'events per second', unit: 'events/s', value: result.eventsPerSecond, higherIsBetter: true };
    case 'sysbench-memory':
      return { name: 'memory throughput', unit: 'MiB/s', value: result.mibPerSecond, higherIsBetter: true };
    case 'iperf3':
      return { name: `throughput (${result.headline.side})`, unit: 'bit/s', value: result.headline.bitsPerSecond, higherIsBetter: true };
    case 'iperf':
      return { name: 'throughput', unit: 'bit/s', value: result.total.bitsPerSecond, higherIsBetter: true };
  }
}

/** A metric for people: `3.77 Gbit/s (receiver)`, `2522.92 events/s`, `6912.61 MiB/s`. */
export function formatMetric(result: ParsedBenchmark): string {
  const metric = primaryMetric(result);
  switch (result.benchmark) {
    case 'iperf3':
      return `${formatBitsPerSecond(metric.value)} (${result.headline.side})`;
    case 'iperf':
      return `${formatBitsPerSecond(metric.value)} (${result.side === 'unknown' ? 'iperf 2' : result.side})`;
    default:
      // sysbench prints two decimals; keep them.
      return `${metric.value.toFixed(2)} ${metric.unit}`;
  }
}
