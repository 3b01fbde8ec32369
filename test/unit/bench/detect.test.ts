import { describe, expect, it } from 'vitest';
import { detectTool, parseBenchmarkOutput } from '../../../extension/core/measuring/workloads/detect';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { formatMetric, primaryMetric } from '../../../extension/core/measuring/workloads/metric';
import { fixture } from './fixture';

describe('detectTool', () => {
  it('names the tool of each kind of output', () => {
    expect(detectTool(fixture('sysbench-1.0.20-cpu.txt'))).toBe('sysbench-cpu');
    expect(detectTool(fixture('sysbench-0.4.12-cpu.txt'))).toBe('sysbench-cpu');
    expect(detectTool(fixture('sysbench-1.0.18-memory.txt'))).toBe('sysbench-memory');
    expect(detectTool(fixture('iperf3-3.1.3-client-udp-prompt.json'))).toBe('iperf3');
    expect(detectTool(fixture('iperf-2.0.13-client-prompt.txt'))).toBe('iperf');
  });

  it('knows iperf 2 report lines even without the header', () => {
    expect(detectTool('[  3]  0.0-10.0 sec  1.10 GBytes   943 Mbits/sec\n')).toBe('iperf');
    expect(parseBenchmarkOutput('[  3]  0.0-10.0 sec  1.10 GBytes   943 Mbits/sec\n')).toMatchObject({ side: 'unknown', total: { bitsPerSecond: 943e6 } });
  });

  it('says what a text is when it is none of them', () => {
    expect(() => detectTool('')).toThrow(/the text is empty/);
    expect(() => detectTool('  \n\t\n')).toThrow(/the text is empty/);
    expect(() => detectTool('{"results": [1, 2, 3]}')).toThrow(/found JSON that is not iperf3 output/);
    expect(() => detectTool('Total: 42 widgets\nDone.\n')).toThrow(
      /Expected sysbench cpu or memory output, iperf3 --json output, or iperf 2 output, but found text starting with "Total: 42 widgets"/,
    );
    expect(() => detectTool(fixture('sysbench-1.0.12-oltp.txt'))).toThrow(/Found sysbench output, but not of the cpu or memory test \(it has "SQL statistics"\)/);
    expect(() => detectTool(fixture('iperf3-3.12-client-text.txt'))).toThrow(/Found iperf3 text output/);
    try {
      detectTool(fixture('iperf3-3.12-client-text.txt'));
    } catch (error) {
      expect(error).toBeInstanceOf(BenchmarkError);
      expect((error as BenchmarkError).hint).toBe('Run iperf3 again with --json (-J) and import that.');
    }
  });
});

describe('parseBenchmarkOutput', () => {
  it('uses the parser it is told to, which refuses text of another tool', () => {
    expect(() => parseBenchmarkOutput(fixture('sysbench-1.0.20-memory.txt'), 'sysbench-cpu')).toThrow(/found sysbench memory output/);
    expect(() => parseBenchmarkOutput(fixture('iperf-2.1.8-client-basic.txt'), 'iperf3')).toThrow(/Expected iperf3 --json output/);
  });
});

describe('primaryMetric and formatMetric', () => {
  it('name the figure to compare and show it for people', () => {
    const iperf3 = parseBenchmarkOutput(fixture('iperf3-3.9-client-omit.json'));
    expect(primaryMetric(iperf3)).toEqual({ name: 'throughput (receiver)', unit: 'bit/s', value: 1699429654.736899, higherIsBetter: true });
    expect(formatMetric(iperf3)).toBe('1.70 Gbit/s (receiver)');
    const udp = parseBenchmarkOutput(fixture('iperf3-3.12-client-udp.json'));
    expect(formatMetric(udp)).toBe('100 Mbit/s (receiver)');
    expect(formatMetric(parseBenchmarkOutput(fixture('iperf-2.0.13-client-prompt.txt')))).toBe('939 Mbit/s (client)');
    expect(formatMetric(parseBenchmarkOutput(fixture('sysbench-1.0.18-cpu-4threads.txt')))).toBe('87.56 events/s');
    const memory = parseBenchmarkOutput(fixture('sysbench-1.0.20-memory.txt'));
    expect(primaryMetric(memory)).toMatchObject({ name: 'memory throughput', unit: 'MiB/s', value: 6912.61 });
    expect(formatMetric(memory)).toBe('6912.61 MiB/s');
  });
});
