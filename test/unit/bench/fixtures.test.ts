import { describe, expect, it } from 'vitest';
import { detectTool, parseBenchmarkOutput } from '../../../extension/core/measuring/workloads/detect';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { primaryMetric } from '../../../extension/core/measuring/workloads/metric';
import { expectAllFinite, fixture, fixtureNames } from './fixture';

type Expectation =
  | { readonly tool: 'sysbench-cpu' | 'sysbench-memory' | 'iperf3' | 'iperf'; readonly value: number }
  | { readonly error: RegExp };

// The headline figure of every captured output (see test/fixtures/bench/SOURCES.md), or the
// error a file that is not a usable result must give.
const expected: Readonly<Record<string, Expectation>> = {
  'iperf-2.0.13-client-prompt.txt': { tool: 'iperf', value: 939e6 },
  'iperf-2.0.5-client-P20.txt': { tool: 'iperf', value: 266e6 },
  'iperf-2.0.5-client-interval-prompt.txt': { tool: 'iperf', value: 222e6 },
  'iperf-2.0.5-client-udp-P2.txt': { tool: 'iperf', value: 1999e3 },
  'iperf-2.0.5-server-P3-kbits.txt': { tool: 'iperf', value: 11325398e3 },
  'iperf-2.0.5-server-dualtest.txt': { error: /both a client and a server report/ },
  'iperf-2.0.5-server-ipv6-gbits.txt': { tool: 'iperf', value: 25.3e9 },
  'iperf-2.0.5-server-udp.txt': { tool: 'iperf', value: 9.86e6 },
  'iperf-2.0.x-client-tcp-enhanced-P2.txt': { tool: 'iperf', value: 1970e6 },
  'iperf-2.0.x-client-tcp-enhanced.txt': { tool: 'iperf', value: 1966e6 },
  'iperf-2.0.x-client-udp-enhanced.txt': { tool: 'iperf', value: 1.05e6 },
  'iperf-2.1.8-client-P2-enhanced.txt': { tool: 'iperf', value: 17889e6 },
  'iperf-2.1.8-client-P2.txt': { tool: 'iperf', value: 28.3e9 },
  'iperf-2.1.8-client-basic.txt': { tool: 'iperf', value: 20.3e9 },
  'iperf-2.1.8-client-enhanced.txt': { tool: 'iperf', value: 19.1e9 },
  'iperf-2.1.8-client-interval.txt': { tool: 'iperf', value: 22.2e9 },
  'iperf-2.1.8-client-reverse.txt': { tool: 'iperf', value: 11.6e9 },
  'iperf-2.1.8-client-udp.txt': { tool: 'iperf', value: 105e6 },
  'iperf-2.1.8-server-P2-enhanced.txt': { tool: 'iperf', value: 17.9e9 },
  'iperf-2.1.8-server-P2.txt': { tool: 'iperf', value: 28.2e9 },
  'iperf-2.1.8-server-basic.txt': { tool: 'iperf', value: 20.3e9 },
  'iperf-2.1.8-server-enhanced.txt': { tool: 'iperf', value: 19.2e9 },
  'iperf-2.1.8-server-interval.txt': { tool: 'iperf', value: 22.3e9 },
  'iperf-2.1.8-server-reverse.txt': { tool: 'iperf', value: 11.5e9 },
  'iperf-2.1.8-server-udp.txt': { tool: 'iperf', value: 105e6 },
  'iperf3-3.0.11-client.json': { tool: 'iperf3', value: 934268000 },
  'iperf3-3.1.3-client-udp-prompt.json': { tool: 'iperf3', value: 834711189.017002 },
  'iperf3-3.12-client-P2.json': { tool: 'iperf3', value: 13863485001.51339 },
  'iperf3-3.12-client-interrupted.json': { error: /iperf3 reported an error: interrupt - the client has terminated/ },
  'iperf3-3.12-client-refused.json': { error: /iperf3 reported an error: unable to connect to server: Connection refused/ },
  'iperf3-3.12-client-reverse-P2.json': { tool: 'iperf3', value: 17097737453.250937 },
  'iperf3-3.12-client-reverse.json': { tool: 'iperf3', value: 21669888458.707962 },
  'iperf3-3.12-client-text.txt': { error: /iperf3 text output/ },
  'iperf3-3.12-client-udp.json': { tool: 'iperf3', value: 99992818.49935393 },
  'iperf3-3.12-client.json': { tool: 'iperf3', value: 21116459269.428566 },
  'iperf3-3.12-server.json': { tool: 'iperf3', value: 13863485001.51339 },
  'iperf3-3.16-client-error.json': { error: /iperf3 reported an error: control socket has closed unexpectedly/ },
  'iperf3-3.6-client-bytes-mode.json': { tool: 'iperf3', value: 87443526.20683172 },
  'iperf3-3.9-client-omit.json': { tool: 'iperf3', value: 1699429654.736899 },
  'sysbench-0.4.12-cpu.txt': { tool: 'sysbench-cpu', value: 10000 / 374.2803 },
  'sysbench-1.0.11-memory-per-cpu-runs.txt': { error: /found 4 runs in one text/ },
  'sysbench-1.0.12-oltp.txt': { error: /not of the cpu or memory test/ },
  'sysbench-1.0.18-cpu-4threads.txt': { tool: 'sysbench-cpu', value: 87.56 },
  'sysbench-1.0.18-cpu-mangled.txt': { tool: 'sysbench-cpu', value: 698.18 },
  'sysbench-1.0.18-cpu-prompt.txt': { tool: 'sysbench-cpu', value: 1178.88 },
  'sysbench-1.0.18-memory.txt': { tool: 'sysbench-memory', value: 3147.91 },
  'sysbench-1.0.20-cpu-threads2.txt': { tool: 'sysbench-cpu', value: 2494.99 },
  'sysbench-1.0.20-cpu.txt': { tool: 'sysbench-cpu', value: 2522.92 },
  'sysbench-1.0.20-memory-read-local.txt': { tool: 'sysbench-memory', value: 99358.29 },
  'sysbench-1.0.20-memory.txt': { tool: 'sysbench-memory', value: 6912.61 },
  'sysbench-1.1.0-cpu.txt': { tool: 'sysbench-cpu', value: 314 / 10.0103 },
  'sysbench-1.1.0-memory.txt': { tool: 'sysbench-memory', value: 647.78 },
};

/** File names in SOURCES.md, with `{a,b}` expanded. */
function namesInSources(): Set<string> {
  const names = new Set<string>();
  for (const match of fixture('SOURCES.md').matchAll(/^\| ([^ |]+\.(?:txt|json)) \|/gm)) {
    const name = match[1] ?? '';
    const brace = /\{([^}]+)\}/.exec(name);
    if (brace?.[1] === undefined) names.add(name);
    else for (const part of brace[1].split(',')) names.add(name.replace(brace[0], part));
  }
  return names;
}

describe('captured benchmark output', () => {
  it('has an expectation and a source line for every file', () => {
    expect(fixtureNames()).toEqual(Object.keys(expected).sort());
    const listed = namesInSources();
    expect(fixtureNames().filter((name) => !listed.has(name))).toEqual([]);
  });

  for (const [name, expectation] of Object.entries(expected)) {
    if ('error' in expectation) {
      it(`${name}: refused with a clear BenchmarkError`, () => {
        const text = fixture(name);
        expect(() => parseBenchmarkOutput(text)).toThrow(BenchmarkError);
        expect(() => parseBenchmarkOutput(text)).toThrow(expectation.error);
      });
    } else {
      it(`${name}: ${expectation.tool}, headline ${expectation.value}, every number finite`, () => {
        const text = fixture(name);
        expect(detectTool(text)).toBe(expectation.tool);
        const result = parseBenchmarkOutput(text);
        expect(result.benchmark).toBe(expectation.tool);
        const value = primaryMetric(result).value;
        expect(Math.abs(value - expectation.value) / expectation.value, `${value} vs ${expectation.value}`).toBeLessThan(1e-12);
        expectAllFinite(result);
      });
    }
  }
});
