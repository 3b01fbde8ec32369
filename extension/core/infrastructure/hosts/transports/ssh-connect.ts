/**
 * One SSH connection attempt: resolve the target through ~/.ssh/config, refuse unsafe names,
 * read known_hosts, tunnel through a jump host if any, then handshake and authenticate within
 * the connect timeout (paused while a person is asked). Retries and state live in `ssh-transport.ts`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { HostError } from '../../../errors';
import type { HostTransport } from '../host';
import { hostAddressProblem, userNameProblem } from '../host-address';
import { HostAuthError, type HostKeyError, HostUnreachableError, SecretNeededError, UnknownHostKeyError } from '../host-errors';
import { hostKeyAlgorithmsFor, knownHostsName, knownKeyTypesFor, readKnownHosts } from './known-hosts';
import { PausableTimer } from './pausable-timer';
import { makeAuthPlan } from './ssh-auth';
import { resolveSshTarget, type SshHostSpec, type SshJump, type SshTarget } from './ssh-config';
import { newSshConnection, reasonOf, type SshConnection } from './ssh-connection';
import { checkPresentedHostKey, type HostKeyContext, presentedHostKey } from './ssh-host-key-check';
import type { SshTransportOptions } from './ssh-options';

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Who asks for a connection, and what it does with one. */
export interface SshConnectRequest {
  readonly spec: SshHostSpec;
  /** The host's name, for messages. */
  readonly name: string;
  readonly options: SshTransportOptions;
  /** The transport to tunnel through for a ProxyJump. */
  readonly jumpFor: (jump: SshJump) => HostTransport;
  /** Called (maybe more than once) when the established connection drops, with why. */
  readonly onDrop: (connection: SshConnection, reason: string, cause: unknown) => void;
}

/** The known_hosts file accepted keys are appended to. */
export function knownHostsPathFor(options: SshTransportOptions, target: SshTarget): string {
  return options.knownHostsPath ?? target.userKnownHostsFiles[0] ?? join(options.home ?? homedir(), '.ssh', 'known_hosts');
}

/**
 * Opens one SSH connection (no retries).
 *
 * @throws HostError when the address or user is unsafe to dial.
 * @throws HostUnreachableError, HostAuthError, SecretNeededError, or a HostKeyError.
 */
export async function openSshConnection(request: SshConnectRequest): Promise<SshConnection> {
  const { spec, name, options } = request;
  const home = options.home ?? homedir();
  const target = await resolveSshTarget(spec, { configPath: options.sshConfigPath, home });
  // Checked before any connection: a lab file or record must not make us dial a pattern.
  const problem = hostAddressProblem(target.hostname) ?? userNameProblem(target.user);
  if (problem !== undefined) {
    throw new HostError(`Host "${name}" (${target.user}@${target.hostname}) cannot be reached safely: ${problem}.`, {
      hint: 'Fix its address or user in the lab file (or its HostName/User in ~/.ssh/config).',
    });
  }
  const knownHostsPath = knownHostsPathFor(options, target);
  const entries = await readKnownHosts([
    knownHostsPath,
    ...target.userKnownHostsFiles.filter((p) => p !== knownHostsPath),
    ...(options.globalKnownHostsPaths ?? ['/etc/ssh/ssh_known_hosts']),
  ]);
  const lookupName = target.hostKeyAlias?.toLowerCase() ?? knownHostsName(target.hostname, target.port);
  const known = knownKeyTypesFor(entries, lookupName).flatMap(hostKeyAlgorithmsFor);
  const serverHostKey = [...new Set([...known.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a)), ...DEFAULT_HOST_KEY_ALGORITHMS])];

  let sock: Duplex | undefined;
  if (target.jump !== undefined) {
    const jump = request.jumpFor(target.jump);
    try {
      sock = await jump.openTcp(target.hostname, target.port);
    } catch (error) {
      throw new HostUnreachableError(name, `the jump host ${jump.name} cannot reach ${target.hostname}:${target.port}: ${reasonOf(error)}`, {
        cause: error,
      });
    }
  }

  // ssh2 is loaded on the first connection, not with the editor: most sessions never use SSH.
  const { Client } = await import('ssh2');
  const client = new Client();
  let hostKeyError: HostKeyError | undefined;
  let timedOut = false;
  const agentSocket = options.agentSocket === null ? undefined : (options.agentSocket ?? process.env.SSH_AUTH_SOCK);
  const timer = new PausableTimer(options.connectTimeoutMs ?? 20_000, () => {
    timedOut = true;
    client.destroy();
    sock?.destroy();
  });
  const auth = makeAuthPlan({
    target,
    agentSocket: agentSocket === '' ? undefined : agentSocket,
    askSecret: options.askSecret,
    pause: () => timer.pause(),
    resume: () => timer.resume(),
    debug: options.debug,
  });
  const keyContext: HostKeyContext = {
    entries,
    lookupName,
    target,
    knownHostsPath,
    options,
    pause: () => timer.pause(),
    resume: () => timer.resume(),
  };

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      timer.clear();
      client.destroy();
      sock?.destroy();
      const where = `${target.user}@${target.hostname}:${target.port}`;
      if (hostKeyError !== undefined) reject(hostKeyError);
      else if (timedOut) reject(new HostUnreachableError(name, `no answer within ${options.connectTimeoutMs ?? 20_000} ms (${where})`));
      else if ((error as { level?: string }).level === 'client-authentication') {
        if (auth.unasked.reason !== undefined) reject(new SecretNeededError(target.hostname, target.user, auth.tried, auth.unasked.prompts, auth.unasked.reason));
        else reject(new HostAuthError(target.hostname, target.user, auth.tried, { detail: auth.notes.length > 0 ? `(${auth.notes.join('; ')})` : undefined }));
      } else reject(new HostUnreachableError(name, `${reasonOf(error)} (${where})`, { cause: error }));
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      timer.clear();
      client.setNoDelay(true);
      const connection = newSshConnection(client, target);
      client.on('error', (error: Error) => request.onDrop(connection, reasonOf(error), error));
      client.on('close', () => request.onDrop(connection, 'the connection was closed', undefined));
      client.on('end', () => request.onDrop(connection, 'the server ended the connection', undefined));
      sock?.once('close', () => request.onDrop(connection, 'the jump host connection closed', undefined));
      resolve(connection);
    });
    client.on('error', fail);
    client.once('close', () => fail(new Error('the connection closed during the handshake')));
    try {
      client.connect({
        host: target.hostname,
        port: target.port,
        sock,
        username: target.user,
        readyTimeout: 0,
        keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: options.keepaliveCountMax ?? 2,
        hostVerifier: (key: Buffer, callback: (valid: boolean) => void) => {
          checkPresentedHostKey(keyContext, key).then(
            (verdict) => {
              if (verdict !== true) hostKeyError = verdict;
              callback(verdict === true);
            },
            (error: unknown) => {
              hostKeyError ??= new UnknownHostKeyError(presentedHostKey(lookupName, key), knownHostsPath);
              options.debug?.(`host key check failed: ${reasonOf(error)}`);
              callback(false);
            },
          );
        },
        authHandler: auth.handler,
        algorithms: { serverHostKey: serverHostKey as never },
        debug: options.debug,
      });
    } catch (error) {
      fail(error);
    }
  });
}
