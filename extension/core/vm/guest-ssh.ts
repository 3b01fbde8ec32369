import { VmTimeoutError } from '../errors';
import { shellJoin } from '../hosts/quote';
import type { ProgramResult } from '../host/run-program';
import type { HostSystem } from '../hosts/host-system';
import type { GuestSshEndpoint } from './vm-record';

/**
 * OpenSSH client arguments for a guest. The guest's host key is checked (StrictHostKeyChecking
 * against the known_hosts file written when the guest was built, under a fixed alias so the
 * forwarded port can change) — never turned off.
 */
export function sshArgs(endpoint: GuestSshEndpoint, options: { interactive: boolean }): string[] {
  return [
    '-i',
    endpoint.privateKey,
    '-p',
    String(endpoint.port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `HostKeyAlias=${endpoint.hostKeyAlias}`,
    '-o',
    `UserKnownHostsFile=${endpoint.knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'ConnectTimeout=5',
    '-o',
    'ForwardAgent=no',
    '-o',
    'LogLevel=ERROR',
    ...(options.interactive ? ['-t'] : ['-o', 'BatchMode=yes', '-T']),
    `${endpoint.user}@${endpoint.host}`,
  ];
}

/**
 * The full `ssh` argv to run `command` in the guest. The remote side gets one shell line, so
 * every argument is quoted by {@link shellJoin}; nothing is pasted in as it is.
 */
export function sshCommandArgv(endpoint: GuestSshEndpoint, command: readonly string[]): string[] {
  return [...sshArgs(endpoint, { interactive: false }), '--', shellJoin(command)];
}

/**
 * Runs a command in the guest over SSH and collects its output. The `ssh` client runs on the
 * guest's host (`system`), where the forwarded port and the guest's keys are.
 */
export function runInGuest(
  system: HostSystem,
  endpoint: GuestSshEndpoint,
  command: readonly string[],
  options: { timeoutMs?: number; check?: boolean; signal?: AbortSignal } = {},
): Promise<ProgramResult> {
  return system.run('ssh', sshCommandArgv(endpoint, command), {
    timeoutMs: options.timeoutMs ?? 60_000,
    check: options.check ?? true,
    signal: options.signal,
    missingHint: 'Install the OpenSSH client: apt-get install openssh-client',
  });
}

/** Waits until the guest's SSH server runs a command, retrying until `timeoutMs`. */
export async function waitForSsh(system: HostSystem, endpoint: GuestSshEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const result = await runInGuest(system, endpoint, ['true'], { timeoutMs: 10_000, check: false, signal });
    if (result.exitCode === 0) return;
    last = result.stderr.trim();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new VmTimeoutError(`The guest's SSH server did not answer on ${endpoint.host}:${endpoint.port} within ${timeoutMs / 1000} s.`, {
    hint: `Look at the serial console log for boot errors. Last SSH error: ${last || 'none'}`,
  });
}
