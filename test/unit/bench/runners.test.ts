import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import {
  iperf3ClientCommand,
  iperf3ServerCommand,
  iperfClientCommand,
  iperfServerCommand,
  sysbenchCpuCommand,
  sysbenchMemoryCommand,
  sysbenchSize,
} from '../../../extension/core/measuring/workloads/runners';
import { fixture } from './fixture';

describe('sysbench commands', () => {
  it('builds sysbench cpu argv with defaults and with options', () => {
    expect(sysbenchCpuCommand()).toMatchObject({ program: 'sysbench', args: ['cpu', '--cpu-max-prime=10000', '--threads=1', '--time=10', 'run'] });
    expect(sysbenchCpuCommand({ primeLimit: 20000, threads: 2, timeSeconds: 1 }).args).toEqual(['cpu', '--cpu-max-prime=20000', '--threads=2', '--time=1', 'run']);
  });

  it('builds sysbench memory argv with sizes in sysbench units', () => {
    expect(sysbenchMemoryCommand().args).toEqual([
      'memory',
      '--memory-block-size=1K',
      '--memory-total-size=100G',
      '--memory-oper=write',
      '--memory-scope=global',
      '--threads=1',
      '--time=10',
      'run',
    ]);
    expect(
      sysbenchMemoryCommand({ blockSizeBytes: 1024 ** 2, totalSizeBytes: 10 * 1024 ** 3, operation: 'read', scope: 'local', threads: 2, timeSeconds: 1 }).args,
    ).toEqual(['memory', '--memory-block-size=1M', '--memory-total-size=10G', '--memory-oper=read', '--memory-scope=local', '--threads=2', '--time=1', 'run']);
  });

  it('writes sizes as sysbench reads them', () => {
    expect([sysbenchSize(1024), sysbenchSize(1536), sysbenchSize(1000), sysbenchSize(2 * 1024 ** 4)]).toEqual(['1K', '1536', '1000', '2T']);
    expect(sysbenchSize(3 * 1024 ** 2 + 1024)).toBe('3073K');
  });

  it('parses what the command prints with the right parser', () => {
    expect(sysbenchCpuCommand().parse(fixture('sysbench-1.0.20-cpu.txt')).eventsPerSecond).toBe(2522.92);
    expect(sysbenchMemoryCommand().parse(fixture('sysbench-1.0.20-memory.txt')).mibPerSecond).toBe(6912.61);
    expect(() => sysbenchCpuCommand().parse(fixture('sysbench-1.0.20-memory.txt'))).toThrow(BenchmarkError);
  });

  it('refuses impossible options', () => {
    expect(() => sysbenchCpuCommand({ threads: 0 })).toThrow(/number of threads must be a whole number of at least 1, not 0/);
    expect(() => sysbenchCpuCommand({ timeSeconds: Number.NaN })).toThrow(BenchmarkError);
    expect(() => sysbenchCpuCommand({ primeLimit: 1.5 })).toThrow(/prime limit/);
    expect(() => sysbenchMemoryCommand({ blockSizeBytes: -1 })).toThrow(BenchmarkError);
    expect(() => sysbenchMemoryCommand({ operation: 'copy' as 'read' })).toThrow(/read or write, not "copy"/);
    expect(() => sysbenchMemoryCommand({ scope: 'numa' as 'local' })).toThrow(/global or local/);
  });
});

describe('iperf3 commands', () => {
  it('builds server argv: port, bind, one-off, json', () => {
    expect(iperf3ServerCommand()).toMatchObject({ program: 'iperf3', args: ['-s', '-p', '5201', '-1', '--json'] });
    expect(iperf3ServerCommand({ port: 5399, bind: '127.0.0.1', oneOff: false }).args).toEqual(['-s', '-p', '5399', '-B', '127.0.0.1', '--json']);
  });

  it('builds client argv: host, port, duration, reverse, parallel, UDP, json', () => {
    expect(iperf3ClientCommand({ host: '10.0.2.2' }).args).toEqual(['-c', '10.0.2.2', '-p', '5201', '-t', '10', '--json']);
    expect(iperf3ClientCommand({ host: '127.0.0.1', port: 5399, durationSeconds: 1, reverse: true, parallel: 2 }).args).toEqual([
      '-c',
      '127.0.0.1',
      '-p',
      '5399',
      '-t',
      '1',
      '-R',
      '-P',
      '2',
      '--json',
    ]);
    expect(iperf3ClientCommand({ host: 'h', udp: true, bitrate: 100_000_000, json: false }).args).toEqual(['-c', 'h', '-p', '5201', '-t', '10', '-u', '-b', '100000000']);
  });

  it('parses JSON output, and refuses text output when json is off', () => {
    expect(iperf3ClientCommand({ host: 'h' }).parse(fixture('iperf3-3.12-client.json')).receiver?.bitsPerSecond).toBe(21116459269.428566);
    expect(iperf3ServerCommand().parse(fixture('iperf3-3.12-server.json')).role).toBe('server');
    expect(() => iperf3ClientCommand({ host: 'h', json: false }).parse(fixture('iperf3-3.12-client-text.txt'))).toThrow(/without --json/);
  });

  it('refuses hosts that would be read as options, and bad ports and durations', () => {
    expect(() => iperf3ClientCommand({ host: '-d' })).toThrow(/"-d" is not a host name/);
    expect(() => iperf3ClientCommand({ host: '' })).toThrow(BenchmarkError);
    expect(() => iperf3ClientCommand({ host: 'a b' })).toThrow(BenchmarkError);
    expect(() => iperf3ClientCommand({ host: 'h', port: 70000 })).toThrow(/port must be a whole number from 1 to 65535, not 70000/);
    expect(() => iperf3ClientCommand({ host: 'h', durationSeconds: 0 })).toThrow(/duration in seconds must be a number above 0/);
    expect(() => iperf3ServerCommand({ bind: '--json' })).toThrow(BenchmarkError);
  });
});

describe('iperf 2 commands', () => {
  it('builds server argv: -p, -i, -f g', () => {
    expect(iperfServerCommand()).toMatchObject({ program: 'iperf', args: ['-s', '-p', '5001', '-f', 'g'] });
    expect(iperfServerCommand({ port: 5398, intervalSeconds: 1, enhanced: true, bind: '127.0.0.1' }).args).toEqual([
      '-s',
      '-p',
      '5398',
      '-i',
      '1',
      '-f',
      'g',
      '-e',
      '-B',
      '127.0.0.1',
    ]);
  });

  it('builds client argv: -c, -p, -i, -f g, -t, -P, -R', () => {
    expect(iperfClientCommand({ host: '10.0.2.2' }).args).toEqual(['-c', '10.0.2.2', '-p', '5001', '-f', 'g', '-t', '10']);
    expect(iperfClientCommand({ host: '127.0.0.1', port: 5398, intervalSeconds: 1, durationSeconds: 2, format: 'm', parallel: 2, reverse: true }).args).toEqual([
      '-c',
      '127.0.0.1',
      '-p',
      '5398',
      '-i',
      '1',
      '-f',
      'm',
      '-t',
      '2',
      '-P',
      '2',
      '-R',
    ]);
  });

  it('parses what iperf prints and refuses bad options', () => {
    expect(iperfClientCommand({ host: 'h' }).parse(fixture('iperf-2.1.8-client-basic.txt')).total.bitsPerSecond).toBe(20.3e9);
    expect(iperfServerCommand().parse(fixture('iperf-2.1.8-server-basic.txt')).side).toBe('server');
    expect(() => iperfClientCommand({ host: 'h', format: 'x' as 'g' })).toThrow(/not an iperf report format/);
    expect(() => iperfClientCommand({ host: 'h', parallel: 0 })).toThrow(/parallel streams/);
    expect(() => iperfClientCommand({ host: 'h', intervalSeconds: -1 })).toThrow(/interval/);
  });
});
