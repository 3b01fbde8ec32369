/**
 * The argv of each `--during` benchmark: sampled every second, and bounded in time even if
 * nothing ever stops them (a crashed CLI must not leave a benchmark running for ever).
 */
import { inNamespaceArgv } from '../../infrastructure/network/netns-system';
import type { VmRecord } from '../../machines/vm/vm-record';
import type { DuringBenchmark } from './spec';

/** The guest port the iperf3 server listens on (QEMU forwards it with user networking). */
export const DURING_IPERF3_GUEST_PORT = 5201;

/** sysbench sampling its rate every second, for at most `limitSeconds`. */
export function sysbenchIntervalArgv(benchmark: Exclude<DuringBenchmark, 'iperf3'>, limitSeconds: number): string[] {
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
 * The client, on the guest's host, of the iperf3 server in the guest: on a bridge network
 * straight to the guest's own address (from inside the isolated network's namespace when it has
 * one), else through the loopback port QEMU forwards to the guest's server port. Undefined when
 * the guest has neither (a VM booted before benchmark ports were forwarded).
 */
export function guestIperf3ClientArgv(record: Pick<VmRecord, 'guestAddress' | 'netns' | 'forwardedPorts'>, limitSeconds: number): string[] | undefined {
  if (record.guestAddress !== undefined) {
    const [program, ...args] = iperf3ClientArgv(record.guestAddress, DURING_IPERF3_GUEST_PORT, limitSeconds) as [string, ...string[]];
    if (record.netns === undefined) return [program, ...args];
    const [wrapper, wrapped] = inNamespaceArgv(record.netns, program, args);
    return [wrapper, ...wrapped];
  }
  const port = record.forwardedPorts?.[String(DURING_IPERF3_GUEST_PORT)];
  return port === undefined ? undefined : iperf3ClientArgv('127.0.0.1', port, limitSeconds);
}

/**
 * A shell line waiting up to 10 s until a TCP port listens, from /proc/net/tcp: probing with a
 * connection would not do through user networking (QEMU accepts on the host side at once).
 */
export function waitListeningArgv(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['sh', '-c', `for i in $(seq 1 100); do grep -qE ':${hex} 0+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null && exit 0; sleep 0.1; done; exit 1`];
}
