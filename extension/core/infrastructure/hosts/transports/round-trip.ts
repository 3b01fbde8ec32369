/**
 * Figures for the bench: a command's round trip over the reused SSH connection of a transport
 * against a fresh `ssh` process per command (TCP + key exchange + auth every time).
 */
import { runProgram } from '../system/run-program';
import type { HostTransport } from '../host';
import { shellJoin } from './quote';

/** How to reach a host with the OpenSSH client, for {@link openSshArgv}. */
export interface OpenSshTarget {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly identity?: string;
  readonly knownHostsPath?: string;
}

/** `ssh` arguments that run `command` on `target`, host key checked, never asking anything. */
export function openSshArgv(target: OpenSshTarget, command: readonly string[]): string[] {
  return [
    ...(target.identity === undefined ? [] : ['-i', target.identity, '-o', 'IdentitiesOnly=yes']),
    ...(target.knownHostsPath === undefined ? [] : ['-o', `UserKnownHostsFile=${target.knownHostsPath}`]),
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ControlPath=none',
    '-o', 'ForwardAgent=no',
    ...(target.user === undefined ? [] : ['-l', target.user]),
    '-p', String(target.port ?? 22),
    '-T',
    // Nothing after `--` is an option: not the host, not the command.
    '--',
    target.host,
    // The remote side gets one line, made only by the shared quoting.
    shellJoin(command),
  ];
}

/** Round-trip times in milliseconds. */
export interface RoundTripFigures {
  readonly reusedMs: readonly number[];
  readonly freshMs: readonly number[];
  readonly medianReusedMs: number;
  readonly medianFreshMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Runs `command` `runs` times over `transport` (after one warm-up run that opens the
 * connection) and `runs` times as a fresh `ssh` process with `sshArgs` (from {@link openSshArgv}).
 */
export async function measureRoundTrip(
  transport: HostTransport,
  sshArgs: readonly string[],
  options: { runs?: number; command?: readonly string[] } = {},
): Promise<RoundTripFigures> {
  const runs = options.runs ?? 10;
  const [program = 'true', ...args] = options.command ?? ['true'];
  await transport.run(program, args);
  const reusedMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await transport.run(program, args);
    reusedMs.push(performance.now() - started);
  }
  const freshMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await runProgram('ssh', sshArgs, { timeoutMs: 30_000 });
    freshMs.push(performance.now() - started);
  }
  return { reusedMs, freshMs, medianReusedMs: median(reusedMs), medianFreshMs: median(freshMs) };
}
