import { VmError, VmTimeoutError } from '../../errors';
import { CommandCancelledError } from '../../infrastructure/hosts/host-errors';
import { shellJoin } from '../../infrastructure/hosts/transports/quote';
import type { ProgramResult } from '../../infrastructure/hosts/system/run-program';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { inNetworkNamespace } from '../../infrastructure/network/netns-system';
import type { GuestSshEndpoint } from '../vm/vm-record';
import { sleep } from '../../infrastructure/support/sleep';

/** Options of {@link sshArgs}. */
export interface GuestSshOptions {
  /** A terminal session (`-t`) rather than a batch command (`BatchMode`, `-T`). */
  readonly interactive: boolean;
  /**
   * OpenSSH's ProxyCommand: how to reach a guest whose forwarded port is on another host (see
   * guest-relay.ts). The host key is still checked, under the same alias.
   */
  readonly proxyCommand?: string;
  /**
   * OpenSSH's ConnectTimeout, which also bounds the banner exchange: how long a guest's sshd may
   * take to say hello. A TCG guest on a busy host took over 5 s (seen in CI), so commands to a
   * guest known to run get {@link GUEST_CONNECT_TIMEOUT_S}; the readiness probe passes its own.
   */
  readonly connectTimeoutSeconds?: number;
}

/** ConnectTimeout for a guest known to run: far above the usual second, below a hang. */
export const GUEST_CONNECT_TIMEOUT_S = 30;

/**
 * OpenSSH client arguments for a guest, ending with `-- HOST`. The guest's host key is checked
 * (StrictHostKeyChecking against the known_hosts file written when the guest was built, under a
 * fixed alias so the forwarded port can change; for a guest QEMU Lab did not set up, learnt at
 * the first login into the VM's own file) — never turned off.
 *
 * Values from the record each go in their own argument after their option (`-l USER`,
 * `-p PORT`, `-i KEY`) and the host after `--`, so none can be read as an option even if a
 * record check missed it (a user `-oProxyCommand=…` is a user name here, not an option).
 */
export function sshArgs(endpoint: GuestSshEndpoint, options: GuestSshOptions): string[] {
  return [
    ...(options.proxyCommand === undefined ? [] : ['-o', `ProxyCommand=${options.proxyCommand}`]),
    '-i',
    endpoint.privateKey,
    '-l',
    endpoint.user,
    '-p',
    String(endpoint.port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `HostKeyAlias=${endpoint.hostKeyAlias}`,
    '-o',
    `UserKnownHostsFile=${endpoint.knownHostsFile}`,
    '-o',
    // accept-new records an unknown key and refuses a changed one: never "no".
    `StrictHostKeyChecking=${endpoint.hostKeyCheck === 'first-use' ? 'accept-new' : 'yes'}`,
    '-o',
    `ConnectTimeout=${Math.max(1, Math.round(options.connectTimeoutSeconds ?? GUEST_CONNECT_TIMEOUT_S))}`,
    '-o',
    'ForwardAgent=no',
    '-o',
    'LogLevel=ERROR',
    ...(options.interactive ? ['-t'] : ['-o', 'BatchMode=yes', '-T']),
    // After `--` ssh parses no more options, neither here nor after the host.
    '--',
    endpoint.host,
  ];
}

/**
 * The full `ssh` argv to run `command` in the guest. The remote side gets one shell line, so
 * every argument is quoted by {@link shellJoin}; nothing is pasted in as it is.
 */
export function sshCommandArgv(endpoint: GuestSshEndpoint, command: readonly string[], options: { proxyCommand?: string; connectTimeoutSeconds?: number } = {}): string[] {
  return [...sshArgs(endpoint, { interactive: false, proxyCommand: options.proxyCommand, connectTimeoutSeconds: options.connectTimeoutSeconds }), shellJoin(command)];
}

/**
 * Runs a command in the guest over SSH and collects its output. The `ssh` client runs on the
 * guest's host (`system`), where the forwarded port and the guest's keys are — inside the
 * isolated network's namespace when the endpoint names one.
 */
export function runInGuest(
  system: HostSystem,
  endpoint: GuestSshEndpoint,
  command: readonly string[],
  options: { timeoutMs?: number; check?: boolean; signal?: AbortSignal; onStdout?: (text: string) => void; connectTimeoutSeconds?: number } = {},
): Promise<ProgramResult> {
  // On an isolated network only the namespace reaches the guest: ssh runs in there.
  const side = endpoint.netns === undefined ? system : inNetworkNamespace(system, endpoint.netns);
  return side.run('ssh', sshCommandArgv(endpoint, command, { connectTimeoutSeconds: options.connectTimeoutSeconds }), {
    timeoutMs: options.timeoutMs ?? 60_000,
    check: options.check ?? true,
    signal: options.signal,
    onStdout: options.onStdout,
    missingHint: 'Install the OpenSSH client: apt-get install openssh-client',
  });
}

/** OpenSSH's words for a host key that is not the one on record. */
const HOST_KEY_MISMATCH = /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/;

/** The error of a guest whose host key is not the one learnt at its first login. */
function learntKeyMismatch(endpoint: GuestSshEndpoint): VmError {
  return new VmError(`The guest on ${endpoint.host}:${endpoint.port} showed another SSH host key than the one learnt at its first login (${endpoint.hostKeyAlias} in ${endpoint.knownHostsFile}).`, {
    hint: `If the guest's system was reinstalled, delete ${endpoint.knownHostsFile} and boot again: QEMU Lab learns the new key at the next login. Otherwise another machine answers on that address: find out which before logging in.`,
  });
}

/**
 * Waits until the guest's SSH server runs a command, retrying until `timeoutMs`. An attempt gets
 * 10 s; one that used them all (the server answered but the login was that slow: a distribution
 * under TCG on a busy host takes 15–30 s) gives the next twice as long, up to a minute.
 */
export async function waitForSsh(system: HostSystem, endpoint: GuestSshEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let attemptMs = 10_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const attempt = Math.min(attemptMs, Math.max(1_000, deadline - Date.now()));
    // The attempt's bound is also ssh's: a slow hello is then seen as a slow attempt, which grows the next.
    // A remote host reports an attempt it had to kill as an error (a local one as a result with a signal): both are a slow attempt.
    const result = await runInGuest(system, endpoint, ['true'], { timeoutMs: attempt, check: false, signal, connectTimeoutSeconds: attempt / 1000 }).catch((error: unknown) => {
      if (error instanceof CommandCancelledError && error.reason === 'timeout') return { exitCode: null, signal: 'SIGKILL' as const, stdout: error.stdout, stderr: error.stderr || error.message };
      throw error;
    });
    if (result.exitCode === 0) return;
    // A learnt key that does not match stays so: no retry, and what to do about it. (A key QEMU
    // Lab gave the guest can mismatch for a while: sshd answers with the image's own keys until
    // cloud-init installs the seed's.)
    if (endpoint.hostKeyCheck === 'first-use' && HOST_KEY_MISMATCH.test(result.stderr)) throw learntKeyMismatch(endpoint);
    last = result.stderr.trim();
    if (result.signal !== null || /banner exchange/i.test(result.stderr)) attemptMs = Math.min(60_000, attemptMs * 2);
    await sleep(100, signal);
  }
  throw new VmTimeoutError(`The guest's SSH server did not answer on ${endpoint.host}:${endpoint.port} within ${timeoutMs / 1000} s.`, {
    hint: `Look at the serial console log for boot errors. Last SSH error: ${last || 'none'}`,
  });
}
