/**
 * iperf3's text interval lines (`-i 1 --forceflush`), read while it runs and after:
 *
 * ```text
 * [  5]   0.00-1.00   sec  2.86 GBytes  24.5 Gbits/sec    0   2.12 MBytes
 * [SUM]   0.00-1.00   sec  2.99 GBytes  25.7 Gbits/sec    0
 * [  5]   0.00-3.00   sec  8.09 GBytes  23.2 Gbits/sec   38             sender
 * iperf3: error - control socket has closed unexpectedly
 * ```
 *
 * The closing summary (lines ending in `sender`/`receiver`) is not a sample. With parallel
 * streams the `[SUM]` lines are the samples. iperf3 3.12 repeats its last interval line when the
 * connection breaks; a repeated interval counts once.
 */
import { scaleDecimal } from '../../measuring/workloads/text';
import { completeLines, type IntervalReading, type IntervalSample } from './interval-sysbench';

const INTERVAL = /^\[\s*(\d+|SUM)\]\s+(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\s+sec\s+\d+(?:\.\d+)?\s+[KMGT]?Bytes\s+(\d+(?:\.\d+)?)\s+([KMGT]?)bits\/sec(.*)$/;

/** Reads iperf3 interval lines as bits per second, and how the stream ended if it did. */
export function parseIperf3Intervals(text: string): IntervalReading {
  const perStream: IntervalSample[] = [];
  const sums: IntervalSample[] = [];
  let end: IntervalReading['end'];
  for (const raw of completeLines(text)) {
    const line = raw.trim();
    const match = INTERVAL.exec(line);
    if (match !== null) {
      const rest = match[6] ?? '';
      if (/\b(sender|receiver)\s*$/.test(rest) || /\(omitted\)/.test(rest)) continue;
      const relMs = Math.round(Number(match[3]) * 1000);
      const value = scaleDecimal(match[4] ?? '', match[5] ?? '');
      if (!Number.isFinite(relMs) || !Number.isFinite(value)) continue;
      const list = match[1] === 'SUM' ? sums : perStream;
      // One interval of one stream at a time: with -P N the per-stream lines repeat the interval,
      // and then only the [SUM] lines are used.
      if (match[1] === 'SUM' && list.some((s) => s.relMs === relMs)) continue;
      if (match[1] !== 'SUM' && list.some((s) => s.relMs === relMs && s.value === value)) continue;
      list.push({ relMs, value });
      continue;
    }
    const error = /^iperf3: error - (.*)$/.exec(line);
    if (error !== null && end === undefined) {
      const reason = error[1] ?? 'error';
      // A stream that ran and then lost its connection broke; one that never ran failed.
      end = { kind: /closed unexpectedly|reset by peer|broken pipe|timed out|timeout/i.test(reason) ? 'broken' : 'failed', reason: `iperf3: ${reason}` };
    } else if (line === 'iperf Done.' && end === undefined) {
      end = { kind: 'ended', reason: 'iperf3 finished its run' };
    }
  }
  const samples = sums.length > 0 ? sums : dedupeByInterval(perStream);
  return { samples, end: end?.kind === 'failed' && samples.length > 0 ? { kind: 'broken', reason: end.reason } : end };
}

/** One sample per interval end (a single stream; with several and no [SUM], the first stream). */
function dedupeByInterval(samples: readonly IntervalSample[]): IntervalSample[] {
  const seen = new Set<number>();
  return samples.filter((s) => (seen.has(s.relMs) ? false : (seen.add(s.relMs), true)));
}
