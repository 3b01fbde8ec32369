/**
 * iperf 2's interval lines (`-i 1 -f m`, 2.1.x), read while it runs and after:
 *
 * ```text
 * [  1] 0.0000-1.0000 sec   639 MBytes  5357 Mbits/sec
 * [  1] 1.0000-2.0000 sec  1450 MBytes  12162 Mbits/sec
 * tcp write failed: Connection reset by peer
 * [  1] 2.0000-2.5752 sec   116 MBytes  1693 Mbits/sec
 * [  1] 0.0000-2.5752 sec   885 MBytes  2883 Mbits/sec
 * ```
 *
 * The closing summary spans the whole run (from 0, longer than an interval): not a sample. A
 * write that failed mid-run broke the stream; a connect that failed means it never ran. iperf 2
 * exits 0 either way, so these lines are all there is to tell.
 */
import { scaleDecimal } from '../../measuring/workloads/text';
import { completeLines, type IntervalReading, type IntervalSample } from './interval-sysbench';

const INTERVAL = /^\[\s*(\d+|SUM)\]\s+(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s+sec\s+\d+(?:\.\d+)?\s+[KMGT]?Bytes\s+(\d+(?:\.\d+)?)\s+([KMGT]?)bits\/sec/;
/** An interval of `-i 1` lasts a second; the summary of a run of two seconds or more lasts longer. */
const LONGEST_INTERVAL_S = 1.5;

/** Reads iperf 2 interval lines as bits per second, and how the stream ended if it did. */
export function parseIperf2Intervals(text: string): IntervalReading {
  const samples: IntervalSample[] = [];
  let end: IntervalReading['end'];
  let summary = false;
  for (const raw of completeLines(text)) {
    const line = raw.trim();
    const match = INTERVAL.exec(line);
    if (match !== null) {
      const start = Number(match[2]);
      const stop = Number(match[3]);
      if (start === 0 && stop - start > LONGEST_INTERVAL_S) {
        summary = true;
        continue;
      }
      const relMs = Math.round(stop * 1000);
      const value = scaleDecimal(match[4] ?? '', match[5] ?? '');
      if (!Number.isFinite(relMs) || !Number.isFinite(value) || samples.some((s) => s.relMs === relMs)) continue;
      samples.push({ relMs, value });
      continue;
    }
    const failed = /^tcp (write|read|connect) failed: (.*)$/.exec(line);
    if (failed !== null && end === undefined) {
      const reason = `iperf: ${failed[1]} failed: ${failed[2] ?? ''}`.trim();
      end = { kind: failed[1] === 'connect' ? 'failed' : 'broken', reason };
    }
  }
  if (end === undefined && summary) end = { kind: 'ended', reason: 'iperf finished its run' };
  return { samples, end: end?.kind === 'failed' && samples.length > 0 ? { kind: 'broken', reason: end.reason } : end };
}
