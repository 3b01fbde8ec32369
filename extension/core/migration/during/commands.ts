/**
 * The argv of each `--during` benchmark: sampled every second, and bounded in time even if
 * nothing ever stops them (a crashed CLI must not leave a benchmark running for ever).
 */
import { inNamespaceArgv } from '../../infrastructure/network/netns-system';
import type { VmRecord } from '../../machines/vm/vm-record';
import type { DuringBenchmark } from './spec';

/** The network benchmarks: a server at one end, a client sampling every second at the other. */
export type DuringNetworkBenchmark = Extract<DuringBenchmark, 'iperf3' | 'iperf'>;

/** Whether a `--during` benchmark is a network one (a server and a client, a stream that can break). */
export function isDuringNetwork(benchmark: DuringBenchmark): benchmark is DuringNetworkBenchmark {
  return benchmark === 'iperf3' || benchmark === 'iperf';
}

/** The guest port each network benchmark's server listens on (QEMU forwards both with user networking). */
export const DURING_GUEST_PORTS: Readonly<Record<DuringNetworkBenchmark, number>> = { iperf3: 5201, iperf: 5001 };

/** sysbench sampling its rate every second, for at most `limitSeconds`. */
export function sysbenchIntervalArgv(benchmark: Exclude<DuringBenchmark, DuringNetworkBenchmark>, limitSeconds: number): string[] {
  const time = `--time=${Math.max(1, Math.ceil(limitSeconds))}`;
  return benchmark === 'sysbench-cpu'
    ? ['sysbench', 'cpu', '--cpu-max-prime=10000', '--threads=1', '--report-interval=1', time, 'run']
    : // 1 KiB blocks as sysbench's default: a memory-bound rate, not a memory-dirtying storm.
      ['sysbench', 'memory', '--memory-block-size=1K', '--memory-total-size=100000G', '--threads=1', '--report-interval=1', time, 'run'];
}

/** An iperf3 server on `port` (not one-off: a client reconnects after the switch-over). */
export function iperf3ServerArgv(port: number, bind?: string): string[] {
  return ['iperf3', '-s', '-p', String(port), ...(bind === undefined ? [] : ['-B', bind])];
}

/** An iperf3 client reporting every second, flushed line by line (its output is a file being read). */
export function iperf3ClientArgv(host: string, port: number, limitSeconds: number): string[] {
  return ['iperf3', '-c', host, '-p', String(port), '-t', String(Math.max(1, Math.ceil(limitSeconds))), '-i', '1', '--forceflush'];
}

/**
 * An iperf 2 server on `port`; it serves one client after another, so a client reconnects after
 * the switch-over. It runs until stopped (by pid), like the iperf3 one.
 */
export function iperfServerArgv(port: number, bind?: string): string[] {
  return ['iperf', '-s', '-p', String(port), ...(bind === undefined ? [] : ['-B', bind])];
}

/** An iperf 2 client reporting every second in Mbit/s (it writes each line as it comes). */
export function iperfClientArgv(host: string, port: number, limitSeconds: number): string[] {
  return ['iperf', '-c', host, '-p', String(port), '-t', String(Math.max(1, Math.ceil(limitSeconds))), '-i', '1', '-f', 'm'];
}

/** The server of a network benchmark. */
export function networkServerArgv(benchmark: DuringNetworkBenchmark, port: number, bind?: string): string[] {
  return benchmark === 'iperf3' ? iperf3ServerArgv(port, bind) : iperfServerArgv(port, bind);
}

/** The sampling client of a network benchmark. */
export function networkClientArgv(benchmark: DuringNetworkBenchmark, host: string, port: number, limitSeconds: number): string[] {
  return benchmark === 'iperf3' ? iperf3ClientArgv(host, port, limitSeconds) : iperfClientArgv(host, port, limitSeconds);
}

/**
 * The client, on the guest's host, of a network benchmark's server in the guest: on a bridge
 * network straight to the guest's own address (from inside the isolated network's namespace when
 * it has one), else through the loopback port QEMU forwards to the guest's server port.
 * Undefined when the guest has neither (a VM booted before benchmark ports were forwarded).
 */
export function guestNetworkClientArgv(
  benchmark: DuringNetworkBenchmark,
  record: Pick<VmRecord, 'guestAddress' | 'netns' | 'forwardedPorts'>,
  limitSeconds: number,
): string[] | undefined {
  const guestPort = DURING_GUEST_PORTS[benchmark];
  if (record.guestAddress !== undefined) {
    const [program, ...args] = networkClientArgv(benchmark, record.guestAddress, guestPort, limitSeconds) as [string, ...string[]];
    if (record.netns === undefined) return [program, ...args];
    const [wrapper, wrapped] = inNamespaceArgv(record.netns, program, args);
    return [wrapper, ...wrapped];
  }
  const port = record.forwardedPorts?.[String(guestPort)];
  return port === undefined ? undefined : networkClientArgv(benchmark, '127.0.0.1', port, limitSeconds);
}

/**
 * A shell line waiting up to 10 s until a TCP port listens, from /proc/net/tcp: probing with a
 * connection would not do through user networking (QEMU accepts on the host side at once).
 */
export function waitListeningArgv(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['sh', '-c', `for i in $(seq 1 100); do grep -qE ':${hex} 0+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null && exit 0; sleep 0.1; done; exit 1`];
}
