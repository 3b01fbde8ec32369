import { spawn } from 'node:child_process';
import type { BenchmarkCommand } from '../workloads/runners';
import {
  iperf3ClientCommand,
  iperf3ServerCommand,
  iperfClientCommand,
  iperfServerCommand,
  sysbenchCpuCommand,
  sysbenchMemoryCommand,
} from '../workloads/runners';
import type { ParsedBenchmark } from '../workloads/detect';
import { BenchmarkError } from '../workloads/errors';
import { freeLoopbackPort } from '../../infrastructure/hosts/system/free-port';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { BenchmarkName, IperfDirection } from '../../lab/model';
import { networkSide } from '../../infrastructure/network/tap-network';
import { runInGuest } from '../../machines/guest-access/guest-ssh';
import type { VmRecord } from '../../machines/vm/vm-record';
import { sleep } from '../../infrastructure/support/sleep';

/** Where one measured run happens: on a host, or in a running guest (reached through its host). */
export type MeasureTarget = { readonly kind: 'host'; readonly system: HostSystem } | { readonly kind: 'guest'; readonly system: HostSystem; readonly record: VmRecord };

/** Options shared by every benchmark of an experiment. */
export interface MeasureOptions {
  readonly durationSeconds: number;
  /**
   * Which way a guest's network benchmark sends. `from-guest` runs the client in reverse mode
   * (`-R`), so the server, in the guest, sends: the guest's transmit path, as the course report
   * measured it, through the same forwarded port or address. Default `to-guest`.
   */
  readonly direction?: IperfDirection;
  readonly signal?: AbortSignal;
}

const IPERF3_PORT = 5201;
const IPERF2_PORT = 5001;

async function runCommand<T>(target: MeasureTarget, command: BenchmarkCommand<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  const argv = [command.program, ...command.args];
  const result =
    target.kind === 'host'
      ? await target.system.run(command.program, command.args, { timeoutMs, signal, check: false })
      : await runInGuest(target.system, requireSsh(target.record), argv, { timeoutMs, signal, check: false });
  if (result.exitCode !== 0 && result.stdout.trim() === '') {
    throw new BenchmarkError(`${argv.join(' ')} failed (exit ${result.exitCode ?? result.signal}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  return command.parse(result.stdout);
}

function requireSsh(record: VmRecord): NonNullable<VmRecord['ssh']> {
  if (record.ssh === undefined) throw new BenchmarkError(`VM "${record.vmName}" has no SSH endpoint, so nothing can run in it.`);
  return record.ssh;
}

/** Where the host reaches a guest's server port, and from which side of the host's network. */
export interface GuestPortEndpoint {
  readonly side: HostSystem;
  readonly host: string;
  readonly port: number;
}

/**
 * How the host reaches a guest port: on user networking the loopback port QEMU forwards; on a
 * bridge network the guest's own address (from inside the isolated network's namespace if any).
 */
function guestPortEndpoint(system: HostSystem, record: VmRecord, guestPort: number): GuestPortEndpoint {
  if (record.guestAddress !== undefined) return { side: networkSide(system, record.netns), host: record.guestAddress, port: guestPort };
  const port = record.forwardedPorts?.[String(guestPort)];
  if (port === undefined) {
    throw new BenchmarkError(`VM "${record.vmName}" forwards no host port to its port ${guestPort}.`, {
      hint: 'Boot it again with this version of QEMU Lab: VMs on user networking now forward the benchmark ports.',
    });
  }
  return { side: system, host: '127.0.0.1', port };
}

/** Whether /proc/net/tcp(6) text shows a socket listening on `port`. */
export function isListening(procNetTcp: string, port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return new RegExp(`:${hex} 0+:0000 0A`).test(procNetTcp);
}

/**
 * Waits until a port listens on the host, reading /proc/net/tcp: a probing connection would be
 * taken by iperf3 for a test's control connection, and break the real one.
 */
async function waitForListener(system: HostSystem, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tables = `${(await system.readText('/proc/net/tcp')) ?? ''}\n${(await system.readText('/proc/net/tcp6')) ?? ''}`;
    if (isListening(tables, port)) return;
    await sleep(50);
  }
  throw new BenchmarkError(`Nothing listened on port ${port} of host "${system.name}" within ${timeoutMs / 1000} s.`);
}

/**
 * Waits until a TCP port listens inside the guest, reading /proc/net/tcp there. Probing with a
 * connection would not do: through user networking QEMU accepts on the host side at once, and
 * iperf3 `-1` would take the probe for its one test.
 */
async function waitForGuestListener(system: HostSystem, ssh: NonNullable<VmRecord['ssh']>, port: number, signal?: AbortSignal): Promise<void> {
  // The same test as isListening, in the guest's shell; the port is a number we chose.
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const script = `for i in $(seq 1 200); do grep -qE ':${hex} 0+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null && exit 0; sleep 0.05; done; exit 1`;
  const result = await runInGuest(system, ssh, ['sh', '-c', script], { timeoutMs: 20_000, check: false, signal });
  if (result.exitCode !== 0) throw new BenchmarkError(`The benchmark server in the guest did not listen on port ${port} within 10 s.`);
}

/** Retries a client whose server may not be listening yet (guest servers start over SSH). */
async function withRetries<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 6; i += 1) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      last = error;
      await sleep(300, signal);
    }
  }
  throw last;
}

/**
 * A client that found no route to the guest's address on a bridge: ARP got no answer from the
 * guest, though SSH reached it moments before. Says what the host's neighbour table holds for
 * that address (FAILED, INCOMPLETE, a MAC), which is what tells a guest that stopped answering
 * from a bridge that lost its port. Any other error goes on as it was.
 */
export async function explainUnreachable(error: unknown, endpoint: GuestPortEndpoint, record: Pick<VmRecord, 'vmName' | 'guestAddress'>): Promise<never> {
  const message = error instanceof Error ? error.message : String(error);
  if (record.guestAddress === undefined || !/No route to host/i.test(message)) throw error;
  const neighbour = await endpoint.side.run('ip', ['neigh', 'show', 'to', endpoint.host], { timeoutMs: 10_000, check: false }).then(
    (result) => result.stdout.trim() || '(no entry)',
    (reason: unknown) => `(could not be read: ${reason instanceof Error ? reason.message : String(reason)})`,
  );
  throw new BenchmarkError(`${message} The host's neighbour entry for ${endpoint.host}: ${neighbour}.`, {
    hint: `The host sent ARP for ${endpoint.host} on the bridge and VM "${record.vmName}" did not answer. Check that the guest still has that address and its link is up (qemu-lab ssh ${record.vmName} -- ip addr), and that its TAP is still on the bridge (ip link show master <bridge>), then run the experiment again.`,
    cause: error,
  });
}

/**
 * A network benchmark between a guest and its host: the server in the guest (started over SSH
 * as a daemon), the client on the host through the port QEMU forwards to it, or straight to the
 * guest's address on a bridge network (where the NIC model shows: SLIRP hides it).
 */
async function guestNetwork(benchmark: 'iperf3' | 'iperf', system: HostSystem, record: VmRecord, options: MeasureOptions): Promise<ParsedBenchmark> {
  const ssh = requireSsh(record);
  const timeoutMs = (options.durationSeconds + 30) * 1000;
  const reverse = options.direction === 'from-guest';
  // The client on the host side, retried while the guest's server may not listen yet.
  const runClient = (endpoint: GuestPortEndpoint, client: BenchmarkCommand<ParsedBenchmark>): Promise<ParsedBenchmark> =>
    withRetries(() => runCommand({ kind: 'host', system: endpoint.side }, client, timeoutMs, options.signal), options.signal).catch((error: unknown) => explainUnreachable(error, endpoint, record));
  if (benchmark === 'iperf3') {
    const server = iperf3ServerCommand({ port: IPERF3_PORT, oneOff: true, json: false });
    await runInGuest(system, ssh, [server.program, ...server.args, '-D'], { timeoutMs: 10_000, signal: options.signal });
    await waitForGuestListener(system, ssh, IPERF3_PORT, options.signal);
    const endpoint = guestPortEndpoint(system, record, IPERF3_PORT);
    const client = iperf3ClientCommand({ host: endpoint.host, port: endpoint.port, durationSeconds: options.durationSeconds, reverse });
    return runClient(endpoint, client);
  }
  const server = iperfServerCommand({ port: IPERF2_PORT });
  await runInGuest(system, ssh, [server.program, ...server.args, '-D'], { timeoutMs: 10_000, signal: options.signal });
  try {
    await waitForGuestListener(system, ssh, IPERF2_PORT, options.signal);
    const endpoint = guestPortEndpoint(system, record, IPERF2_PORT);
    const client = iperfClientCommand({ host: endpoint.host, port: endpoint.port, durationSeconds: options.durationSeconds, reverse });
    return await runClient(endpoint, client);
  } finally {
    await runInGuest(system, ssh, ['killall', 'iperf'], { timeoutMs: 10_000, check: false });
  }
}

/**
 * A network benchmark on the host alone (the baseline): server and client on loopback. The
 * server is not one-off: the readiness probe would use up its one test.
 */
async function hostNetwork(benchmark: 'iperf3' | 'iperf', system: HostSystem, options: MeasureOptions): Promise<ParsedBenchmark> {
  if (!system.isLocal) {
    throw new BenchmarkError(`A network baseline on remote host "${system.name}" is not supported yet.`, { hint: 'Run host network baselines on the local host.' });
  }
  const port = await freeLoopbackPort();
  const server = benchmark === 'iperf3' ? iperf3ServerCommand({ port, bind: '127.0.0.1', oneOff: false, json: false }) : iperfServerCommand({ port, bind: '127.0.0.1' });
  const child = spawn(server.program, [...server.args], { stdio: 'ignore' });
  try {
    await waitForListener(system, port, 10_000);
    const client =
      benchmark === 'iperf3'
        ? iperf3ClientCommand({ host: '127.0.0.1', port, durationSeconds: options.durationSeconds })
        : iperfClientCommand({ host: '127.0.0.1', port, durationSeconds: options.durationSeconds });
    return await withRetries(() => runCommand<ParsedBenchmark>({ kind: 'host', system }, client, (options.durationSeconds + 30) * 1000, options.signal), options.signal);
  } finally {
    child.kill('SIGKILL');
  }
}

/** sysbench takes whole seconds only. */
function wholeSeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds));
}

/** Runs one benchmark once on a target and returns its parsed result. */
export async function measureOnce(benchmark: BenchmarkName, target: MeasureTarget, options: MeasureOptions): Promise<ParsedBenchmark> {
  const timeoutMs = (options.durationSeconds + 60) * 1000;
  switch (benchmark) {
    case 'sysbench-cpu':
      return runCommand(target, sysbenchCpuCommand({ timeSeconds: wholeSeconds(options.durationSeconds) }), timeoutMs, options.signal);
    case 'sysbench-memory':
      return runCommand(target, sysbenchMemoryCommand({ timeSeconds: wholeSeconds(options.durationSeconds) }), timeoutMs, options.signal);
    case 'iperf3':
    case 'iperf':
      return target.kind === 'host' ? hostNetwork(benchmark, target.system, options) : guestNetwork(benchmark, target.system, target.record, options);
  }
}
