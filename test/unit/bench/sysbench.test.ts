import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import { parseSysbenchCpu } from '../../../extension/core/measuring/workloads/sysbench-cpu';
import { parseSysbenchMemory } from '../../../extension/core/measuring/workloads/sysbench-memory';
import { expectAllFinite, fixture } from './fixture';

describe('parseSysbenchCpu', () => {
  it('reads every figure of sysbench 1.0.20 output captured here', () => {
    expect(parseSysbenchCpu(fixture('sysbench-1.0.20-cpu.txt'))).toEqual({
      benchmark: 'sysbench-cpu',
      version: '1.0.20',
      threads: 1,
      totalTimeSeconds: 1.0002,
      totalEvents: 2525,
      latency: { minMs: 0.22, avgMs: 0.4, maxMs: 31.66, percentile: 95, percentileMs: 0.3, sumMs: 998.13 },
      primeLimit: 10000,
      eventsPerSecond: 2522.92,
      eventsPerSecondDerived: false,
    });
  });

  it('reads threads and the prime limit as they were set (1.0.20 --threads=2, 1.0.18 4 threads)', () => {
    expect(parseSysbenchCpu(fixture('sysbench-1.0.20-cpu-threads2.txt'))).toMatchObject({ threads: 2, primeLimit: 20000 });
    expect(parseSysbenchCpu(fixture('sysbench-1.0.18-cpu-4threads.txt'))).toMatchObject({
      version: '1.0.18',
      threads: 4,
      primeLimit: 200000,
      eventsPerSecond: 87.56,
      totalEvents: 879,
      latency: { percentileMs: 47.47, maxMs: 80.86 },
    });
  });

  it('reads 1.0.18 output after a prompt line and a --test deprecation warning', () => {
    expect(parseSysbenchCpu(fixture('sysbench-1.0.18-cpu-prompt.txt'))).toMatchObject({ eventsPerSecond: 1178.88, totalEvents: 11792 });
  });

  it('reads 1.0.18 output pasted with indentation lost and lines padded', () => {
    expect(parseSysbenchCpu(fixture('sysbench-1.0.18-cpu-mangled.txt'))).toMatchObject({
      eventsPerSecond: 698.18,
      totalTimeSeconds: 10.0005,
      latency: { minMs: 1, avgMs: 1.43, percentileMs: 1.82 },
    });
  });

  it('derives events per second where sysbench 1.1.0 and 0.4.12 do not print it', () => {
    const v110 = parseSysbenchCpu(fixture('sysbench-1.1.0-cpu.txt'));
    expect(v110).toMatchObject({ version: '1.1.0-4e0e44c', eventsPerSecondDerived: true, totalEvents: 314 });
    expect(v110.eventsPerSecond).toBeCloseTo(314 / 10.0103, 10);
    const v04 = parseSysbenchCpu(fixture('sysbench-0.4.12-cpu.txt'));
    expect(v04).toMatchObject({ version: '0.4.12', primeLimit: 10000, eventsPerSecondDerived: true });
    expect(v04.latency).toEqual({ minMs: 34.83, avgMs: 37.42, maxMs: 665.24, percentile: 95, percentileMs: 39.24, sumMs: undefined });
    expectAllFinite(v04);
  });

  it('ignores a shell prompt before, ^C and a prompt after, CRLF line ends and colour codes', () => {
    const plain = parseSysbenchCpu(fixture('sysbench-1.0.20-cpu.txt'));
    const pasted = `student@lab:~$ sysbench cpu --time=1 run\n${fixture('sysbench-1.0.20-cpu.txt')}^C\n\x1b[01;32mstudent@lab\x1b[00m:~$ exit\n`;
    expect(parseSysbenchCpu(pasted)).toEqual(plain);
    expect(parseSysbenchCpu(pasted.replace(/\n/g, '\r\n'))).toEqual(plain);
  });

  it('refuses other output, saying what it expected and what it found', () => {
    expect(() => parseSysbenchCpu(fixture('sysbench-1.0.20-memory.txt'))).toThrow(
      /Expected the output of `sysbench cpu run`, with a "Prime numbers limit" line, but found sysbench memory output/,
    );
    expect(() => parseSysbenchCpu('')).toThrow(/found empty text/);
    expect(() => parseSysbenchCpu(fixture('iperf3-3.12-client.json'))).toThrow(/found iperf3 JSON output/);
    expect(() => parseSysbenchCpu('hello world')).toThrow(BenchmarkError);
  });

  it('says the output is incomplete when it was cut before the statistics', () => {
    const text = fixture('sysbench-1.0.20-cpu.txt');
    expect(() => parseSysbenchCpu(text.slice(0, text.indexOf('General statistics')))).toThrow(/incomplete: found no "total time" line/);
    expect(() => parseSysbenchCpu(text.slice(0, text.indexOf('    95th percentile')))).toThrow(/percentile/);
  });

  it('refuses a number that is not one instead of returning NaN', () => {
    const text = fixture('sysbench-1.0.20-cpu.txt').replace('2522.92', '25.22.92');
    expect(() => parseSysbenchCpu(text)).toThrow(/events per second "25.22.92", which is not a number/);
  });

  it('refuses a text holding several runs', () => {
    const text = fixture('sysbench-1.0.20-cpu.txt');
    expect(() => parseSysbenchCpu(text + text)).toThrow(/found 2 runs in one text/);
  });
});

describe('parseSysbenchMemory', () => {
  it('reads every figure of sysbench 1.0.20 output captured here', () => {
    expect(parseSysbenchMemory(fixture('sysbench-1.0.20-memory.txt'))).toEqual({
      benchmark: 'sysbench-memory',
      version: '1.0.20',
      threads: 1,
      totalTimeSeconds: 1.0002,
      totalEvents: 7083848,
      latency: { minMs: 0, avgMs: 0, maxMs: 0.07, percentile: 95, percentileMs: 0, sumMs: 376.18 },
      blockSizeBytes: 1024,
      totalSizeBytes: 102400 * 1024 ** 2,
      operation: 'write',
      scope: 'global',
      totalOperations: 7083848,
      operationsPerSecond: 7078511.04,
      mibTransferred: 6917.82,
      mibPerSecond: 6912.61,
    });
  });

  it('reads block size, total size, operation, scope and threads as set', () => {
    expect(parseSysbenchMemory(fixture('sysbench-1.0.20-memory-read-local.txt'))).toMatchObject({
      blockSizeBytes: 1024 ** 2,
      totalSizeBytes: 10 * 1024 ** 3,
      operation: 'read',
      scope: 'local',
      threads: 2,
      mibPerSecond: 99358.29,
    });
  });

  it('reads 1.0.18 (after a $ prompt) and 1.1.0 (spaces inside "(   20.24 per second)")', () => {
    expect(parseSysbenchMemory(fixture('sysbench-1.0.18-memory.txt'))).toMatchObject({ version: '1.0.18', mibPerSecond: 3147.91, totalOperations: 32251745 });
    expect(parseSysbenchMemory(fixture('sysbench-1.1.0-memory.txt'))).toMatchObject({
      version: '1.1.0-4e0e44c',
      blockSizeBytes: 32 * 1024 ** 2,
      totalSizeBytes: 10 * 1024 ** 3,
      operationsPerSecond: 20.24,
      mibTransferred: 6496,
      mibPerSecond: 647.78,
    });
  });

  it('ignores pasted prompts and ^C', () => {
    const text = fixture('sysbench-1.0.20-memory.txt');
    expect(parseSysbenchMemory(`$ sysbench memory run\n${text}\n^C\n$ `)).toEqual(parseSysbenchMemory(text));
  });

  it('refuses other output and cut-short output with a clear error', () => {
    expect(() => parseSysbenchMemory(fixture('sysbench-1.0.20-cpu.txt'))).toThrow(/Expected the output of `sysbench memory run`.*found sysbench cpu output/);
    expect(() => parseSysbenchMemory(fixture('iperf-2.1.8-client-basic.txt'))).toThrow(/found iperf 2 output/);
    const text = fixture('sysbench-1.0.20-memory.txt');
    expect(() => parseSysbenchMemory(text.replace(/^.*MiB transferred.*$/m, ''))).toThrow(/incomplete: found no "N MiB transferred/);
    expect(() => parseSysbenchMemory(text.replace('operation: write', 'operation: copy'))).toThrow(/operation "copy", expected one of read, write, none/);
    expect(() => parseSysbenchMemory(text.slice(0, text.indexOf('Threads started')))).toThrow(BenchmarkError);
  });
});
