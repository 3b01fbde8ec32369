import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIperf2Intervals } from '../../../../extension/core/migration/during/interval-iperf2';
import { parseIperf3Intervals } from '../../../../extension/core/migration/during/interval-iperf3';
import { parseSysbenchIntervals } from '../../../../extension/core/migration/during/interval-sysbench';

const dir = join(__dirname, '../../../fixtures/during');
const fixture = (name: string): string => readFileSync(join(dir, name), 'utf8');

describe('sysbench interval lines', () => {
  it('reads cpu events per second at each interval end, and the final report as the end', () => {
    const reading = parseSysbenchIntervals(fixture('sysbench-1.0.20-cpu-interval.txt'), 'cpu');
    expect(reading.samples.map((s) => s.relMs)).toEqual([1000, 2000, 3000]);
    expect(reading.samples.every((s) => s.value > 100)).toBe(true);
    expect(reading.end).toEqual({ kind: 'ended', reason: 'sysbench finished its run' });
  });

  it('reads two threads without percentiles', () => {
    const reading = parseSysbenchIntervals(fixture('sysbench-1.0.20-cpu-interval-P2-nopct.txt'), 'cpu');
    expect(reading.samples).toEqual([
      { relMs: 1000, value: 8873.5 },
      { relMs: 2000, value: 9013.46 },
    ]);
  });

  it('reads memory MiB/sec as bytes per second', () => {
    const reading = parseSysbenchIntervals(fixture('sysbench-1.0.20-memory-interval.txt'), 'memory');
    expect(reading.samples[0]).toEqual({ relMs: 1000, value: 6980.69 * 1024 * 1024 });
    expect(parseSysbenchIntervals(fixture('sysbench-1.0.20-memory-interval.txt'), 'cpu').samples).toEqual([]);
  });

  it('leaves a line still being written for the next read', () => {
    const text = fixture('sysbench-1.0.20-cpu-interval.txt');
    const cut = text.indexOf('[ 2s ]') + 20;
    const reading = parseSysbenchIntervals(text.slice(0, cut), 'cpu');
    expect(reading.samples.map((s) => s.relMs)).toEqual([1000]);
    expect(reading.end).toBeUndefined();
  });

  it('takes a FATAL line as a failed stream, and never returns NaN', () => {
    const reading = parseSysbenchIntervals('FATAL: unknown test\n[ 1s ] thds: 1 eps: nan lat (ms,95%): 0.2\n', 'cpu');
    expect(reading.samples).toEqual([]);
    expect(reading.end).toMatchObject({ kind: 'failed' });
  });
});

describe('iperf 2 interval lines', () => {
  it('reads each second as bits per second, not the closing summary', () => {
    const reading = parseIperf2Intervals(fixture('iperf-2.1.8-client-interval.txt'));
    expect(reading.samples).toEqual([
      { relMs: 1000, value: 6500e6 },
      { relMs: 2000, value: 14750e6 },
      { relMs: 3000, value: 13267e6 },
    ]);
    expect(reading.end).toEqual({ kind: 'ended', reason: 'iperf finished its run' });
  });

  it('takes a failed write after samples as a broken stream, keeping the short last interval', () => {
    const reading = parseIperf2Intervals(fixture('iperf-2.1.8-client-interval-server-killed.txt'));
    expect(reading.samples.map((s) => s.relMs)).toEqual([1000, 2000, 2575]);
    expect(reading.end).toEqual({ kind: 'broken', reason: 'iperf: write failed: Connection reset by peer' });
  });

  it('takes a refused connection as a failed stream', () => {
    expect(parseIperf2Intervals(fixture('iperf-2.1.8-client-interval-refused.txt'))).toEqual({ samples: [], end: { kind: 'failed', reason: 'iperf: connect failed: Connection refused' } });
  });

  it('waits for a line to be complete', () => {
    expect(parseIperf2Intervals('[  1] 0.0000-1.0000 sec   775 MBytes  6500 Mbits/sec\n[  1] 1.0000-2.0000 sec  17').samples).toHaveLength(1);
  });
});

describe('iperf3 interval lines', () => {
  it('reads each second as bits per second, not the closing summary', () => {
    const reading = parseIperf3Intervals(fixture('iperf3-3.12-client-interval.txt'));
    expect(reading.samples).toEqual([
      { relMs: 1000, value: 24.5e9 },
      { relMs: 2000, value: 23.7e9 },
      { relMs: 3000, value: 21.3e9 },
    ]);
    expect(reading.end).toEqual({ kind: 'ended', reason: 'iperf3 finished its run' });
  });

  it('uses the [SUM] lines with parallel streams', () => {
    expect(parseIperf3Intervals(fixture('iperf3-3.12-client-interval-P2.txt')).samples).toEqual([
      { relMs: 1000, value: 25.7e9 },
      { relMs: 2000, value: 24.2e9 },
    ]);
  });

  it('reads reverse and UDP runs', () => {
    expect(parseIperf3Intervals(fixture('iperf3-3.12-client-interval-reverse.txt')).samples.map((s) => s.value)).toEqual([21.1e9, 19.5e9, 23.7e9]);
    expect(parseIperf3Intervals(fixture('iperf3-3.12-client-interval-udp.txt')).samples.map((s) => s.value)).toEqual([100e6, 99.9e6]);
  });

  it('takes a closed connection after samples as a broken stream, counting the repeated interval once', () => {
    const reading = parseIperf3Intervals(fixture('iperf3-3.12-client-interval-server-killed.txt'));
    expect(reading.samples.map((s) => s.relMs)).toEqual([1000, 2000]);
    expect(reading.end).toEqual({ kind: 'broken', reason: 'iperf3: control socket has closed unexpectedly' });
  });

  it('takes an error before any sample as a failed stream', () => {
    const reading = parseIperf3Intervals('iperf3: error - unable to connect to server: Connection refused\n');
    expect(reading).toEqual({ samples: [], end: { kind: 'failed', reason: 'iperf3: unable to connect to server: Connection refused' } });
  });

  it('parses every captured fixture without a NaN', () => {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
      const text = fixture(name);
      const readings = name.startsWith('iperf3')
        ? [parseIperf3Intervals(text)]
        : name.startsWith('iperf-')
          ? [parseIperf2Intervals(text)]
          : [parseSysbenchIntervals(text, 'cpu'), parseSysbenchIntervals(text, 'memory')];
      const samples = readings.flatMap((r) => r.samples);
      // A connection refused before anything ran has nothing to sample.
      if (!name.includes('refused')) expect(samples.length, name).toBeGreaterThan(0);
      expect(samples.every((s) => Number.isFinite(s.value) && Number.isFinite(s.relMs)), name).toBe(true);
    }
  });

  it('lists every fixture in SOURCES.md', () => {
    const sources = fixture('SOURCES.md');
    for (const name of readdirSync(dir).filter((n) => n !== 'SOURCES.md')) expect(sources, name).toContain(`| ${name} |`);
  });
});

describe('output captured around a real migration', () => {
  it('reads a TCG guest sysbench that kept running through the switch-over', () => {
    const reading = parseSysbenchIntervals(fixture('sysbench-1.0.20-cpu-interval-tcg-guest-migrated.txt'), 'cpu');
    expect(reading.samples.map((s) => s.relMs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((s) => s * 1000));
    expect(reading.samples[0]?.value).toBe(126.94);
    expect(reading.end).toBeUndefined();
  });

  it('takes the iperf3 stream through the forwarded port as broken at the switch-over, not failed', () => {
    const reading = parseIperf3Intervals(fixture('iperf3-3.12-client-interval-switchover.txt'));
    expect(reading.samples.map((s) => s.relMs)).toEqual([1000, 2000, 3010, 4000, 5000, 6000]);
    expect(reading.samples[3]?.value).toBe(73.8e6);
    expect(reading.end).toEqual({ kind: 'broken', reason: 'iperf3: control socket has closed unexpectedly' });
  });
});
