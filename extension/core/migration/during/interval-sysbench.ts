/**
 * sysbench's per-interval lines (`--report-interval=1`), read while it runs and after:
 *
 * ```text
 * [ 1s ] thds: 1 eps: 4470.84 lat (ms,95%): 0.24     (cpu)
 * [ 1s ] 6980.69 MiB/sec                             (memory)
 * ```
 *
 * The text may be cut anywhere (it is read while sysbench writes it): a last line without its
 * newline is left for the next read.
 */
import { cleanText } from '../../measuring/workloads/text';

/** One interval: its end in milliseconds since sysbench's threads started, and its rate. */
export interface IntervalSample {
  readonly relMs: number;
  readonly value: number;
}

/** What an interval text says so far. */
export interface IntervalReading {
  readonly samples: readonly IntervalSample[];
  /** Set when the tool said it stopped (an error, or its final report). */
  readonly end: { readonly kind: 'ended' | 'broken' | 'failed'; readonly reason: string } | undefined;
}

const CPU_LINE = /^\[ *(\d+(?:\.\d+)?)s \] thds: \d+ eps: (\d+(?:\.\d+)?)\b/;
const MEMORY_LINE = /^\[ *(\d+(?:\.\d+)?)s \] (\d+(?:\.\d+)?) MiB\/sec\s*$/;

/** The complete lines of a text being written: everything up to the last newline. */
export function completeLines(text: string): string[] {
  const clean = cleanText(text);
  const cut = clean.lastIndexOf('\n');
  return cut < 0 ? [] : clean.slice(0, cut).split('\n');
}

/**
 * Reads sysbench interval lines: events per second for `cpu`, bytes per second for `memory`
 * (sysbench's MiB are 1024² bytes). A `FATAL:` line ends the stream as failed; the final
 * report (`General statistics:`) as ended.
 */
export function parseSysbenchIntervals(text: string, test: 'cpu' | 'memory'): IntervalReading {
  const samples: IntervalSample[] = [];
  let end: IntervalReading['end'];
  for (const line of completeLines(text)) {
    const match = (test === 'cpu' ? CPU_LINE : MEMORY_LINE).exec(line.trim());
    if (match !== null) {
      const relMs = Math.round(Number(match[1]) * 1000);
      const rate = Number(match[2]);
      if (!Number.isFinite(relMs) || !Number.isFinite(rate)) continue;
      // A repeated interval (never seen, but cheap to guard) keeps the first reading.
      if (samples.some((s) => s.relMs === relMs)) continue;
      samples.push({ relMs, value: test === 'cpu' ? rate : rate * 1024 * 1024 });
      continue;
    }
    if (/^FATAL:/.test(line.trim()) && end === undefined) end = { kind: 'failed', reason: line.trim() };
    else if (/^General statistics:/.test(line.trim()) && end === undefined) end = { kind: 'ended', reason: 'sysbench finished its run' };
  }
  return { samples, end };
}
