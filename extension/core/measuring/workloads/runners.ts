/**
 * How to run each benchmark: the program, its argv (never a shell line) and the parser for what
 * it prints. Running them (on a host or in a guest over SSH) is the caller's job.
 */
import { BenchmarkError } from './errors';
import { parseIperf2, type Iperf2Result } from './iperf2';
import { parseIperf3Json, type Iperf3Result } from './iperf3';
import { parseSysbenchCpu, type SysbenchCpuResult } from './sysbench-cpu';
import { parseSysbenchMemory, type SysbenchMemoryResult } from './sysbench-memory';

/** A benchmark ready to run: `program` with `args`, and `parse` for its stdout. */
export interface BenchmarkCommand<T> {
  readonly program: string;
  readonly args: readonly string[];
  readonly parse: (stdout: string) => T;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new BenchmarkError(`${what} must be a whole number of at least 1, not ${value}.`);
  return value;
}

function positiveNumber(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new BenchmarkError(`${what} must be a number above 0, not ${value}.`);
  return value;
}

function port(value: number): string {
  if (!Number.isSafeInteger(value) || value < 1 || value > 65535) throw new BenchmarkError(`A port must be a whole number from 1 to 65535, not ${value}.`);
  return String(value);
}

/** A host name or address; one that starts with `-` would be read as an option. */
function hostArg(value: string): string {
  if (value.trim() === '' || value.startsWith('-') || /\s/.test(value)) {
    throw new BenchmarkError(`"${value}" is not a host name or address to connect to.`);
  }
  return value;
}

/** A byte count as sysbench reads sizes: `1K`, `1M`, `100G`, or plain bytes. */
export function sysbenchSize(bytes: number): string {
  positiveInteger(bytes, 'A sysbench size in bytes');
  for (const [unit, factor] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** Options of `sysbench cpu run`. */
export interface SysbenchCpuOptions {
  /** `--cpu-max-prime`, default 10000. */
  readonly primeLimit?: number;
  /** `--threads`, default 1. */
  readonly threads?: number;
  /** `--time` in seconds, default 10. */
  readonly timeSeconds?: number;
}

/** `sysbench cpu --cpu-max-prime=N --threads=N --time=S run`. */
export function sysbenchCpuCommand(options: SysbenchCpuOptions = {}): BenchmarkCommand<SysbenchCpuResult> {
  return {
    program: 'sysbench',
    args: [
      'cpu',
      `--cpu-max-prime=${positiveInteger(options.primeLimit ?? 10000, 'The prime limit')}`,
      `--threads=${positiveInteger(options.threads ?? 1, 'The number of threads')}`,
      `--time=${positiveInteger(options.timeSeconds ?? 10, 'The time in seconds')}`,
      'run',
    ],
    parse: parseSysbenchCpu,
  };
}

/** Options of `sysbench memory run`. */
export interface SysbenchMemoryOptions {
  /** `--memory-block-size` in bytes, default 1 KiB. */
  readonly blockSizeBytes?: number;
  /** `--memory-total-size` in bytes, default 100 GiB (the run usually stops at `--time` first). */
  readonly totalSizeBytes?: number;
  /** `--memory-oper`, default write. */
  readonly operation?: 'read' | 'write';
  /** `--memory-scope`, default global. */
  readonly scope?: 'global' | 'local';
  /** `--threads`, default 1. */
  readonly threads?: number;
  /** `--time` in seconds, default 10. */
  readonly timeSeconds?: number;
}

/** `sysbench memory --memory-block-size=… --memory-total-size=… --memory-oper=… --memory-scope=… --threads=N --time=S run`. */
export function sysbenchMemoryCommand(options: SysbenchMemoryOptions = {}): BenchmarkCommand<SysbenchMemoryResult> {
  const operation = options.operation ?? 'write';
  const scope = options.scope ?? 'global';
  if (operation !== 'read' && operation !== 'write') throw new BenchmarkError(`The memory operation must be read or write, not "${String(operation)}".`);
  if (scope !== 'global' && scope !== 'local') throw new BenchmarkError(`The memory scope must be global or local, not "${String(scope)}".`);
  return {
    program: 'sysbench',
    args: [
      'memory',
      `--memory-block-size=${sysbenchSize(options.blockSizeBytes ?? 1024)}`,
      `--memory-total-size=${sysbenchSize(options.totalSizeBytes ?? 100 * 1024 ** 3)}`,
      `--memory-oper=${operation}`,
      `--memory-scope=${scope}`,
      `--threads=${positiveInteger(options.threads ?? 1, 'The number of threads')}`,
      `--time=${positiveInteger(options.timeSeconds ?? 10, 'The time in seconds')}`,
      'run',
    ],
    parse: parseSysbenchMemory,
  };
}

/** Options of an iperf3 server. */
export interface Iperf3ServerOptions {
  /** `-p`, default 5201. */
  readonly port?: number;
  /** `-B`: listen only on this address (e.g. `127.0.0.1`). */
  readonly bind?: string;
  /** `-1`: serve one test, then exit. Default true. */
  readonly oneOff?: boolean;
  /** `--json`, default true. */
  readonly json?: boolean;
}

function textNotRead(tool: string): (stdout: string) => never {
  return () => {
    throw new BenchmarkError(`${tool} was run without --json; its text output is not read.`, { hint: 'Leave json on.' });
  };
}

/** `iperf3 -s -p PORT [-B ADDR] [-1] [--json]`. */
export function iperf3ServerCommand(options: Iperf3ServerOptions = {}): BenchmarkCommand<Iperf3Result> {
  const json = options.json ?? true;
  return {
    program: 'iperf3',
    args: [
      '-s',
      '-p',
      port(options.port ?? 5201),
      ...(options.bind === undefined ? [] : ['-B', hostArg(options.bind)]),
      ...(options.oneOff ?? true ? ['-1'] : []),
      ...(json ? ['--json'] : []),
    ],
    parse: json ? parseIperf3Json : textNotRead('iperf3'),
  };
}

/** Options of an iperf3 client. */
export interface Iperf3ClientOptions {
  /** The server to connect to (`-c`). */
  readonly host: string;
  /** `-p`, default 5201. */
  readonly port?: number;
  /** `-t` in seconds, default 10. */
  readonly durationSeconds?: number;
  /** `-R`: the server sends. Default false. */
  readonly reverse?: boolean;
  /** `-P`: parallel streams. */
  readonly parallel?: number;
  /** `-u`: UDP instead of TCP. */
  readonly udp?: boolean;
  /** `-b` in bits per second (UDP defaults to 1 Mbit/s without it). */
  readonly bitrate?: number;
  /** `--json`, default true. */
  readonly json?: boolean;
}

/** `iperf3 -c HOST -p PORT -t S [-R] [-P N] [-u] [-b BPS] [--json]`. */
export function iperf3ClientCommand(options: Iperf3ClientOptions): BenchmarkCommand<Iperf3Result> {
  const json = options.json ?? true;
  return {
    program: 'iperf3',
    args: [
      '-c',
      hostArg(options.host),
      '-p',
      port(options.port ?? 5201),
      '-t',
      String(positiveNumber(options.durationSeconds ?? 10, 'The duration in seconds')),
      ...(options.reverse === true ? ['-R'] : []),
      ...(options.parallel === undefined ? [] : ['-P', String(positiveInteger(options.parallel, 'The number of parallel streams'))]),
      ...(options.udp === true ? ['-u'] : []),
      ...(options.bitrate === undefined ? [] : ['-b', String(positiveInteger(options.bitrate, 'The bitrate'))]),
      ...(json ? ['--json'] : []),
    ],
    parse: json ? parseIperf3Json : textNotRead('iperf3'),
  };
}

/** Options shared by both ends of iperf 2. */
interface Iperf2CommonOptions {
  /** `-p`, default 5001. */
  readonly port?: number;
  /** `-i` in seconds: interval reports. */
  readonly intervalSeconds?: number;
  /** `-f`: report format, default `g` (Gbits/sec). */
  readonly format?: 'k' | 'm' | 'g' | 'K' | 'M' | 'G';
  /** `-e`: enhanced reports. */
  readonly enhanced?: boolean;
}

function iperf2Common(options: Iperf2CommonOptions): string[] {
  const format = options.format ?? 'g';
  if (!['k', 'm', 'g', 'K', 'M', 'G'].includes(format)) throw new BenchmarkError(`"${format}" is not an iperf report format (k, m, g, K, M or G).`);
  return [
    '-p',
    port(options.port ?? 5001),
    ...(options.intervalSeconds === undefined ? [] : ['-i', String(positiveNumber(options.intervalSeconds, 'The interval in seconds'))]),
    '-f',
    format,
    ...(options.enhanced === true ? ['-e'] : []),
  ];
}

/** Options of an iperf 2 server. */
export interface Iperf2ServerOptions extends Iperf2CommonOptions {
  /** `-B`: listen only on this address. */
  readonly bind?: string;
}

/** `iperf -s -p PORT [-i S] -f g [-e] [-B ADDR]`. It runs until stopped; its output is parsed after. */
export function iperfServerCommand(options: Iperf2ServerOptions = {}): BenchmarkCommand<Iperf2Result> {
  return {
    program: 'iperf',
    args: ['-s', ...iperf2Common(options), ...(options.bind === undefined ? [] : ['-B', hostArg(options.bind)])],
    parse: parseIperf2,
  };
}

/** Options of an iperf 2 client. */
export interface Iperf2ClientOptions extends Iperf2CommonOptions {
  /** The server to connect to (`-c`). */
  readonly host: string;
  /** `-t` in seconds, default 10. */
  readonly durationSeconds?: number;
  /** `-P`: parallel streams. */
  readonly parallel?: number;
  /** `-R` (iperf 2.1 and later): the server sends. */
  readonly reverse?: boolean;
}

/** `iperf -c HOST -p PORT [-i S] -f g [-e] -t S [-P N] [-R]`. */
export function iperfClientCommand(options: Iperf2ClientOptions): BenchmarkCommand<Iperf2Result> {
  return {
    program: 'iperf',
    args: [
      '-c',
      hostArg(options.host),
      ...iperf2Common(options),
      '-t',
      String(positiveNumber(options.durationSeconds ?? 10, 'The duration in seconds')),
      ...(options.parallel === undefined ? [] : ['-P', String(positiveInteger(options.parallel, 'The number of parallel streams'))]),
      ...(options.reverse === true ? ['-R'] : []),
    ],
    parse: parseIperf2,
  };
}
