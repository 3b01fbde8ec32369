import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { parseIperf2 } from '../../../extension/core/measuring/workloads/iperf2';
import { expectAllFinite, fixture } from './fixture';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('parseIperf2 on iperf 2.1.8 output captured here', () => {
  it('reads a plain client run: bandwidth, transfer, interval', () => {
    expect(parseIperf2(fixture('iperf-2.1.8-client-basic.txt'))).toMatchObject({
      benchmark: 'iperf',
      side: 'client',
      protocol: 'TCP',
      reverse: false,
      enhanced: false,
      streams: 1,
      total: { start: 0, end: 1.0026, bytes: 2.36 * GiB, bitsPerSecond: 20.3e9, source: 'single-stream' },
      intervals: [],
      serverReports: [],
    });
  });

  it('reads the server side', () => {
    expect(parseIperf2(fixture('iperf-2.1.8-server-basic.txt'))).toMatchObject({ side: 'server', total: { end: 1.0013, bitsPerSecond: 20.3e9 } });
  });

  it('reads -i intervals and keeps them apart from the total', () => {
    const result = parseIperf2(fixture('iperf-2.1.8-client-interval.txt'));
    expect(result.total).toMatchObject({ start: 0, end: 2.0063, bitsPerSecond: 22.2e9, bytes: 5.19 * GiB });
    expect(result.intervals.map((i) => [i.start, i.end, i.bitsPerSecond])).toEqual([
      [0, 1, 21.7e9],
      [1, 2, 22.9e9],
    ]);
  });

  it('reads -P 2 with [SUM], per-stream totals, and -e retries', () => {
    const p2 = parseIperf2(fixture('iperf-2.1.8-client-P2.txt'));
    expect(p2).toMatchObject({ streams: 2, total: { source: 'sum', bitsPerSecond: 28.3e9, bytes: 3.29 * GiB } });
    expect(p2.streamTotals.map((s) => [s.id, s.bitsPerSecond])).toEqual([
      ['1', 11.1e9],
      ['2', 17.1e9],
    ]);
    const enhanced = parseIperf2(fixture('iperf-2.1.8-client-P2-enhanced.txt'));
    expect(enhanced).toMatchObject({ enhanced: true, streams: 2, total: { start: 0, end: 2.0003, bitsPerSecond: 17889e6, bytes: 4266 * MiB } });
    expect(enhanced.streamTotals.map((s) => s.retries)).toEqual([9, 4]);
    expect(enhanced.intervals.map((i) => i.bitsPerSecond)).toEqual([11685e6, 24096e6]);
    const server = parseIperf2(fixture('iperf-2.1.8-server-P2-enhanced.txt'));
    expect(server).toMatchObject({ side: 'server', total: { end: 1.999, bitsPerSecond: 17.9e9 } });
    expect(server.streamTotals.map((s) => [s.id, s.end])).toEqual([
      ['1', 1.9997],
      ['2', 1.999],
    ]);
  });

  it('reads -R (reverse, "[ *1]") on both sides', () => {
    expect(parseIperf2(fixture('iperf-2.1.8-client-reverse.txt'))).toMatchObject({ reverse: true, streamTotals: [{ id: '1' }], total: { bitsPerSecond: 11.6e9 } });
    expect(parseIperf2(fixture('iperf-2.1.8-server-reverse.txt'))).toMatchObject({ reverse: true, side: 'server' });
  });

  it('reads UDP: jitter and loss on the server, the server report on the client', () => {
    expect(parseIperf2(fixture('iperf-2.1.8-server-udp.txt'))).toMatchObject({
      protocol: 'UDP',
      streamTotals: [{ jitterMs: 0.001, lostDatagrams: 0, totalDatagrams: 8920, bitsPerSecond: 105e6 }],
    });
    expect(parseIperf2(fixture('iperf-2.1.8-client-udp.txt'))).toMatchObject({
      protocol: 'UDP',
      side: 'client',
      total: { bitsPerSecond: 105e6 },
      serverReports: [{ id: '1', jitterMs: 0, lostDatagrams: 0, totalDatagrams: 8920 }],
    });
  });
});

describe('parseIperf2 on iperf 2.0.x output from public sources', () => {
  it('reads 2.0.13 "[  4]  0.0-60.0 sec  6.56 GBytes   939 Mbits/sec" after a zsh prompt', () => {
    expect(parseIperf2(fixture('iperf-2.0.13-client-prompt.txt'))).toMatchObject({ side: 'client', total: { start: 0, end: 60, bytes: 6.56 * GiB, bitsPerSecond: 939e6 } });
  });

  it('reads 2.0.5 "0.0- 1.0 sec" intervals between prompt lines', () => {
    const result = parseIperf2(fixture('iperf-2.0.5-client-interval-prompt.txt'));
    expect(result.total).toMatchObject({ start: 0, end: 10, bitsPerSecond: 222e6, bytes: 265 * MiB });
    expect(result.intervals).toHaveLength(10);
    expect(result.intervals[0]).toMatchObject({ start: 0, end: 1, bitsPerSecond: 240e6 });
  });

  it('reads -P 20 with [SUM], Kbits/sec with -f k, Gbits/sec, and an id written "[904]"', () => {
    expect(parseIperf2(fixture('iperf-2.0.5-client-P20.txt'))).toMatchObject({ streams: 20, total: { source: 'sum', end: 10.8, bitsPerSecond: 266e6, bytes: 344 * MiB } });
    expect(parseIperf2(fixture('iperf-2.0.5-server-P3-kbits.txt'))).toMatchObject({ streams: 3, total: { bytes: 6920960 * 1024, bitsPerSecond: 11325398e3 } });
    expect(parseIperf2(fixture('iperf-2.0.5-server-ipv6-gbits.txt'))).toMatchObject({ total: { end: 4, bytes: 11.8 * GiB, bitsPerSecond: 25.3e9 } });
    expect(parseIperf2(fixture('iperf-2.0.5-server-udp.txt'))).toMatchObject({
      protocol: 'UDP',
      streamTotals: [{ id: '904', jitterMs: 2.618, lostDatagrams: 9, totalDatagrams: 8409, bitsPerSecond: 9.86e6 }],
    });
  });

  it('keeps UDP server reports out of the client totals', () => {
    const result = parseIperf2(fixture('iperf-2.0.5-client-udp-P2.txt'));
    expect(result.total).toMatchObject({ source: 'sum', end: 3, bitsPerSecond: 1999e3 });
    expect(result.serverReports.map((r) => [r.id, r.lostDatagrams, r.totalDatagrams])).toEqual([
      ['3', 0, 256],
      ['4', 1, 256],
    ]);
  });

  it('reads 2.0.x enhanced (-e) client output: "0.00-60.00 sec", Write/Err, Rtry', () => {
    expect(parseIperf2(fixture('iperf-2.0.x-client-tcp-enhanced.txt'))).toMatchObject({ enhanced: true, total: { end: 60, bitsPerSecond: 1966e6 }, streamTotals: [{ retries: 0 }] });
    expect(parseIperf2(fixture('iperf-2.0.x-client-tcp-enhanced-P2.txt'))).toMatchObject({ streams: 2, total: { source: 'sum', bitsPerSecond: 1970e6, bytes: 14095 * MiB } });
    expect(parseIperf2(fixture('iperf-2.0.x-client-udp-enhanced.txt'))).toMatchObject({ protocol: 'UDP', serverReports: [{ lostDatagrams: 0, totalDatagrams: 5350 }] });
  });

  it('adds the streams up when iperf printed no [SUM]', () => {
    const text = fixture('iperf-2.1.8-client-P2.txt').replace(/^\[SUM\].*$/m, '');
    expect(parseIperf2(text).total).toEqual({ start: 0, end: 1.0051, bytes: 3.29 * GiB, bitsPerSecond: 11.1e9 + 17.1e9, source: 'summed-streams' });
  });
});

describe('parseIperf2 on bad input', () => {
  it('ignores ^C and junk after the report', () => {
    const text = fixture('iperf-2.1.8-client-interval.txt');
    expect(parseIperf2(`$ iperf -c 127.0.0.1 -t 2 -i 1\n${text}^C\n$ echo done\ndone\n`)).toEqual(parseIperf2(text));
  });

  it('refuses iperf3 text, telling to use --json', () => {
    try {
      parseIperf2(fixture('iperf3-3.12-client-text.txt'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BenchmarkError);
      expect((error as BenchmarkError).message).toBe('Expected iperf 2 output, but found iperf3 text output.');
      expect((error as BenchmarkError).hint).toMatch(/--json/);
    }
  });

  it('refuses text without report lines, saying what it found', () => {
    expect(() => parseIperf2('')).toThrow(/found empty text/);
    expect(() => parseIperf2('hello there\n')).toThrow(/with report lines like .* but found text starting with "hello there"/);
    expect(() => parseIperf2(fixture('sysbench-1.0.20-cpu.txt'))).toThrow(/found sysbench cpu output/);
  });

  it('refuses a dual test and a run cut before its final total', () => {
    expect(() => parseIperf2(fixture('iperf-2.0.5-server-dualtest.txt'))).toThrow(/-d\/-r dual or tradeoff test/);
    const text = fixture('iperf-2.1.8-client-interval.txt');
    const cut = text.slice(0, text.lastIndexOf('[  1] 0.0000-2.0063'));
    expect(() => parseIperf2(cut)).toThrow(/no final total for stream 1: its reports reach 2 s/);
  });

  it('refuses an absurd number instead of returning Infinity', () => {
    const text = fixture('iperf-2.1.8-client-basic.txt').replace('20.3 Gbits/sec', `${'9'.repeat(400)} Gbits/sec`);
    expect(() => parseIperf2(text)).toThrow(/bandwidth .* which is not a number/);
  });

  it('returns only finite numbers for every fixture line', () => {
    expectAllFinite(parseIperf2(fixture('iperf-2.0.5-client-udp-P2.txt')));
  });
});
