import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { extractJsonObject, parseIperf3Json } from '../../../extension/core/measuring/workloads/iperf3';
import { expectAllFinite, fixture } from './fixture';

describe('parseIperf3Json', () => {
  it('reads sender, receiver, protocol, duration and intervals of a 3.12 client run captured here', () => {
    const result = parseIperf3Json(fixture('iperf3-3.12-client.json'));
    expect(result).toMatchObject({
      benchmark: 'iperf3',
      version: '3.12',
      role: 'client',
      protocol: 'TCP',
      reverse: false,
      streams: 1,
      plannedDurationSeconds: 1,
      durationSeconds: 1.000833,
      sender: { bytes: 2643722240, bitsPerSecond: 21148931962.72149, seconds: 1.00004, retransmits: 0 },
      receiver: { bytes: 2641756160, bitsPerSecond: 21116459269.428566, seconds: 1.000833, retransmits: undefined },
      headline: { side: 'receiver', bitsPerSecond: 21116459269.428566, bytes: 2641756160 },
      udp: undefined,
      startedAt: '2026-11-25T22:38:32.000Z',
    });
    expect(result.systemInfo).toMatch(/^Linux /);
    expect(result.intervals).toEqual([{ start: 0, end: 1.00004, seconds: 1.0000400543212891, bytes: 2643722240, bitsPerSecond: 21148930813.93026, retransmits: 0, omitted: false }]);
  });

  it('reads the reverse flag and parallel streams', () => {
    expect(parseIperf3Json(fixture('iperf3-3.12-client-reverse.json'))).toMatchObject({ reverse: true, streams: 1 });
    expect(parseIperf3Json(fixture('iperf3-3.12-client-P2.json'))).toMatchObject({ reverse: false, streams: 2 });
    expect(parseIperf3Json(fixture('iperf3-3.12-client-reverse-P2.json'))).toMatchObject({ reverse: true, streams: 2, receiver: { bitsPerSecond: 17097737453.250937 } });
  });

  it('knows the server side', () => {
    expect(parseIperf3Json(fixture('iperf3-3.12-server.json'))).toMatchObject({ role: 'server', streams: 2, receiver: { bitsPerSecond: 13863485001.51339 } });
  });

  it('reads UDP loss and jitter (3.12) and old UDP JSON with only end.sum (3.1.3, after its command line)', () => {
    expect(parseIperf3Json(fixture('iperf3-3.12-client-udp.json'))).toMatchObject({
      protocol: 'UDP',
      udp: { lostPackets: 0, packets: 382, lostPercent: 0 },
      headline: { side: 'receiver' },
    });
    expect(parseIperf3Json(fixture('iperf3-3.1.3-client-udp-prompt.json'))).toMatchObject({
      version: '3.1.3',
      protocol: 'UDP',
      sender: undefined,
      receiver: undefined,
      headline: { side: 'sum', bitsPerSecond: 834711189.017002, bytes: 81920000 },
      udp: { jitterMs: 0.092, lostPackets: 69, packets: 9996, lostPercent: 0.690276 },
      durationSeconds: 0.785134,
    });
  });

  it('reads iperf 3.0.11 (no sender flags, exponent notation), 3.6 bytes mode and 3.9 omitted intervals', () => {
    const v3011 = parseIperf3Json(fixture('iperf3-3.0.11-client.json'));
    expect(v3011).toMatchObject({ version: '3.0.11', receiver: { bitsPerSecond: 9.34268e8 }, sender: { retransmits: 0 }, plannedDurationSeconds: 13 });
    expect(v3011.intervals).toHaveLength(13);
    expect(parseIperf3Json(fixture('iperf3-3.6-client-bytes-mode.json'))).toMatchObject({ version: '3.6', plannedDurationSeconds: 0, durationSeconds: 19.22550392150879 });
    const v39 = parseIperf3Json(fixture('iperf3-3.9-client-omit.json'));
    expect(v39.intervals.map((i) => i.omitted)).toEqual([true, true, false, false, false, false, false, false, false, false, false, false]);
    expect(v39.sender?.retransmits).toBe(1572);
    expectAllFinite(v39);
  });

  it('finds the JSON after a prompt line and before ^C, a prompt and junk', () => {
    const json = fixture('iperf3-3.12-client.json');
    const pasted = `me@host:~$ iperf3 -c 127.0.0.1 -t 1 --json\n${json}^C\nme@host:~$ ls\nfoo bar {baz\n`;
    expect(parseIperf3Json(pasted)).toEqual(parseIperf3Json(json));
  });

  it("turns iperf3's own errors into a BenchmarkError with iperf3's words", () => {
    expect(() => parseIperf3Json(fixture('iperf3-3.12-client-refused.json'))).toThrow(/iperf3 reported an error: unable to connect to server: Connection refused/);
    expect(() => parseIperf3Json(fixture('iperf3-3.16-client-error.json'))).toThrow(/control socket has closed unexpectedly/);
    expect(() => parseIperf3Json(fixture('iperf3-3.12-client-interrupted.json'))).toThrow(/interrupt - the client has terminated/);
  });

  it('refuses text output, other JSON, cut-short JSON and numbers that are not numbers', () => {
    expect(() => parseIperf3Json(fixture('iperf3-3.12-client-text.txt'))).toThrow(/Expected iperf3 --json output \(a JSON object\), but found iperf3 text output/);
    try {
      parseIperf3Json(fixture('iperf3-3.12-client-text.txt'));
    } catch (error) {
      expect((error as BenchmarkError).hint).toMatch(/--json/);
    }
    expect(() => parseIperf3Json('{"name": "not iperf"}')).toThrow(/start\.version "iperf 3\.x"/);
    expect(() => parseIperf3Json('{"start": {"version": "iperf 2.1.8"}}')).toThrow(BenchmarkError);
    const json = fixture('iperf3-3.12-client.json');
    expect(() => parseIperf3Json(json.slice(0, json.length / 2))).toThrow(/cut short: the object that starts at line 1 never closes/);
    expect(() => parseIperf3Json(json.replace('"connected":', '"connected"'))).toThrow(/not valid JSON/);
    expect(() => parseIperf3Json(json.replace(/"bits_per_second":\t21116459269\.428566/g, '"bits_per_second":\t"fast"'))).toThrow(
      /end\.sum_received\.bits_per_second = "fast", expected a finite number/,
    );
    const noEnd = JSON.parse(json) as Record<string, unknown>;
    delete noEnd.end;
    expect(() => parseIperf3Json(JSON.stringify(noEnd))).toThrow(/no end summary/);
    expect(() => parseIperf3Json('')).toThrow(/found empty text/);
  });
});

describe('extractJsonObject', () => {
  it('matches braces outside strings only', () => {
    expect(extractJsonObject('$ x\n{"a": "}{\\"}", "b": {"c": 1}}\n^C', 'iperf3')).toBe('{"a": "}{\\"}", "b": {"c": 1}}');
  });
});
