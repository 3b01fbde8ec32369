/**
 * A host over SSH (ssh2): one connection, opened on first use and shared by every operation
 * (exec channels, SFTP, forwarded sockets), reopened with backoff on the next use after it
 * dropped. Host keys are checked against known_hosts; auth per ssh-auth.ts.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { HostError } from '../../../errors';
import type { HostRunOptions, HostRunResult, HostState, HostSubscription, HostTransport, HostUploadOptions, HostUploadResult } from '../host';
import { OPEN_HOST_GATE, type HostGate } from '../host-gate';
import {
  ChangedHostKeyError,
  CommandCancelledError,
  HostAuthError,
  HostChannelError,
  HostConnectionLostError,
  type HostKeyError,
  HostUnreachableError,
  type PresentedHostKey,
  RevokedHostKeyError,
  SecretNeededError,
  SshConfigError,
  UnknownHostKeyError,
} from '../host-errors';
import {
  appendKnownHost,
  checkHostKey,
  hostKeyAlgorithmsFor,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypesFor,
  readKnownHosts,
  sha256Fingerprint,
} from './known-hosts';
import { hostAddressProblem, userNameProblem } from '../host-address';
import { sha256OfFile } from './local-transport';
import { OutputCollector, PidAnnouncement, remoteCommandLine, settleRun, signalFromSsh, validateRun } from './run-support';
import { type AskSecret, makeAuthPlan, type SecretPrompt } from './ssh-auth';
import { resolveSshTarget, type SshHostSpec, type SshJump, type SshTarget } from './ssh-config';
import { StateListeners } from '../state-listeners';

export type { AskSecret, SecretPrompt };

/** What {@link SshTransportOptions.onUnknownHostKey} is told about a key not in known_hosts. */
export interface HostKeyInfo extends PresentedHostKey {
  readonly host: string;
  readonly port: number;
  /** Where the key is added when accepted. */
  readonly knownHostsPath: string;
  /** Key types known_hosts has for this host already (then the server chose another type). */
  readonly otherKeyTypes: readonly string[];
}

/** Options of an {@link SshTransport} (and of a {@link HostPool}, for all its hosts). */
export interface SshTransportOptions {
  /** Passphrases, passwords, keyboard-interactive answers. Without it only agent and unencrypted keys work. */
  readonly askSecret?: AskSecret;
  /**
   * Called for a host key that is not in known_hosts, with its SHA256 fingerprint; resolve
   * true to trust it (it is appended to known_hosts). Without it such hosts are refused with
   * UnknownHostKeyError. Never called for a changed key: that is always refused.
   */
  readonly onUnknownHostKey?: (fingerprint: string, info: HostKeyInfo) => Promise<boolean>;
  /** known_hosts read and appended to. Default: UserKnownHostsFile of ~/.ssh/config, else ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
  /** Read-only known_hosts files. Default `/etc/ssh/ssh_known_hosts`. */
  readonly globalKnownHostsPaths?: readonly string[];
  /** Append accepted keys with a hashed host name (as HashKnownHosts yes). Default false. */
  readonly hashKnownHosts?: boolean;
  /** ssh config file; default ~/.ssh/config; null = none. */
  readonly sshConfigPath?: string | null;
  /** Home directory for `~` (default os.homedir()). */
  readonly home?: string;
  /** ssh-agent socket; default `SSH_AUTH_SOCK`; null = do not use an agent. */
  readonly agentSocket?: string | null;
  /** Time for TCP connect, handshake and auth (not counting time spent asking a person). Default 20 s. */
  readonly connectTimeoutMs?: number;
  /** SSH keepalive interval; a dead connection is noticed after interval × (countMax + 1). Default 10 s. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dropped. Default 2. */
  readonly keepaliveCountMax?: number;
  /** Connection attempts per use before giving up (network errors only). Default 3. */
  readonly connectAttempts?: number;
  /** Delay before the second attempt; doubles each time, at most 8 s. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** After a cancelled run's SIGKILL, wait this long for the channel to close before closing it ourselves. Default 2 s. */
  readonly killGraceMs?: number;
  /** Exec channels open at once on the connection (sshd's MaxSessions is 10). Default 8. */
  readonly maxSessions?: number;
  /** The transport of a ProxyJump host (a HostPool passes its own, so the jump connection is shared). */
  readonly jumpTransport?: (jump: SshJump) => HostTransport;
  /** ssh2's debug output. */
  readonly debug?: (line: string) => void;
  /**
   * Asked before every connection attempt; a closed gate refuses with HostAccessRefusedError
   * and nothing is sent to the host (not even a TCP SYN). Default: always open.
   */
  readonly gate?: HostGate;
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** One SSH connection and what hangs on it. */
interface Connection {
  readonly client: Client;
  readonly target: SshTarget;
  alive: boolean;
  lostReason: string | undefined;
  /** Called once when the connection drops, with why. */
  readonly lostListeners: Set<(reason: string, cause: unknown) => void>;
  sftp: Promise<SFTPWrapper> | undefined;
  /** Exec channels still open, with the process group each announced (killed on dispose). */
  readonly runs: Set<{ pgid: number | undefined }>;
}

/** A connect timeout that stands still while a person is asked something. */
class PausableTimer {
  private timer: NodeJS.Timeout | undefined;
  private remaining: number;
  private startedAt = 0;
  private paused = 0;

  constructor(
    ms: number,
    private readonly onFire: () => void,
  ) {
    this.remaining = ms;
    this.start();
  }

  pause(): void {
    this.paused += 1;
    if (this.paused === 1 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remaining -= Date.now() - this.startedAt;
    }
  }

  resume(): void {
    this.paused -= 1;
    if (this.paused === 0) this.start();
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.paused = Number.POSITIVE_INFINITY;
  }

  private start(): void {
    this.startedAt = Date.now();
    this.timer = setTimeout(this.onFire, Math.max(0, this.remaining));
  }
}

/** Sends a signal request on an exec channel, even after we closed our side of its stdin. */
function signalChannel(channel: ClientChannel, name: string): void {
  // ssh2's Channel.signal() refuses once the channel is not writable (after we sent EOF);
  // the protocol call underneath does not care. Guarded: a future ssh2 just skips the signal.
  const inner = channel as unknown as {
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
    outgoing?: { id?: number; state?: string };
  };
  const protocol = inner._client?._protocol;
  const id = inner.outgoing?.id;
  if (protocol?.signal !== undefined && typeof id === 'number' && (inner.outgoing?.state === 'open' || inner.outgoing?.state === 'eof')) {
    try {
      protocol.signal(id, name);
    } catch {
      // The connection is going away; closing the channel is all that is left.
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An ssh2 error as one short reason. */
function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string; level?: string };
  if (e.code !== undefined && e.message?.includes(e.code) !== true) return `${e.message ?? 'error'} (${e.code})`;
  return e.message ?? String(error);
}

/** A counting semaphore for exec channels. */
class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async take(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.used -= 1;
    };
  }
}

/** A host reached over SSH. Prefer {@link HostPool.get}, which keeps one per host. */
export class SshTransport implements HostTransport {
  readonly kind = 'ssh' as const;
  readonly name: string;
  private stateValue: HostState = { kind: 'idle' };
  private readonly listeners = new StateListeners();
  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private disposed = false;
  private ownJump: HostTransport | undefined;
  private readonly slots: Slots;

  constructor(
    readonly spec: SshHostSpec,
    private readonly options: SshTransportOptions = {},
  ) {
    this.name = spec.address;
    this.slots = new Slots(options.maxSessions ?? 8);
  }

  get state(): HostState {
    return this.stateValue;
  }

  onStateChange(listener: (state: HostState) => void): HostSubscription {
    return this.listeners.add(listener);
  }

  /** Connects now (otherwise the first operation does). */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.ready(signal);
  }

  async run(program: string, args: readonly string[], options: HostRunOptions = {}): Promise<HostRunResult> {
    validateRun(program, args, options);
    const cancelledBeforeStart = (): CommandCancelledError =>
      new CommandCancelledError(program, args, 'aborted', '', '', { host: this.name, cause: options.signal?.reason });
    if (options.signal?.aborted) throw cancelledBeforeStart();
    const started = Date.now();
    let connection: Connection;
    try {
      connection = await this.ready(options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw cancelledBeforeStart();
      throw error;
    }
    const release = await this.slots.take();
    if (options.signal?.aborted) {
      release();
      throw cancelledBeforeStart();
    }
    try {
      const timeoutMs = options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs - (Date.now() - started));
      return await this.exec(connection, program, args, { ...options, timeoutMs }, options.timeoutMs);
    } finally {
      release();
    }
  }

  async upload(localPath: string, remotePath: string, options: HostUploadOptions = {}): Promise<HostUploadResult> {
    const mode = options.mode ?? 0o644;
    const source = await sha256OfFile(localPath, options.signal);
    // One round trip: the remote file's hash and mode (positional argument, never pasted in).
    const probe = await this.run('sh', ['-c', 'sha256sum -- "$1" && stat -c %a -- "$1"', 'sh', remotePath], {
      check: false,
      signal: options.signal,
    });
    const [hashLine = '', modeLine = ''] = probe.stdout.split('\n');
    const remoteHash = /^\\?([0-9a-f]{64}) /.exec(hashLine)?.[1];
    if (probe.exitCode === 0 && remoteHash === source.sha256) {
      if (parseInt(modeLine, 8) !== mode) await this.run('chmod', [mode.toString(8), '--', remotePath], { signal: options.signal });
      return { skipped: true, ...source };
    }
    const connection = await this.ready(options.signal);
    const temp = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.qemu-lab-${randomBytes(4).toString('hex')}`);
    await this.withLost(connection, `upload of ${localPath}`, options.signal, async () => {
      const sftp = await this.sftp(connection);
      const call = <T>(fn: (cb: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
        new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value as T))));
      try {
        await call<void>((cb) => sftp.fastPut(localPath, temp, { mode }, (error) => cb(error)));
        await call<void>((cb) => sftp.chmod(temp, mode, (error) => cb(error)));
        try {
          // Atomic replace (posix-rename@openssh.com); plain SFTP rename refuses to overwrite.
          await call<void>((cb) => sftp.ext_openssh_rename(temp, remotePath, (error) => cb(error)));
        } catch (error) {
          if (!/not support/i.test(reasonOf(error))) throw error;
          await call<void>((cb) => sftp.unlink(remotePath, () => cb(null)));
          await call<void>((cb) => sftp.rename(temp, remotePath, (renameError) => cb(renameError)));
        }
      } catch (error) {
        await call<void>((cb) => sftp.unlink(temp, () => cb(null))).catch(() => undefined);
        throw new HostChannelError(`Cannot upload ${localPath} to ${this.name}:${remotePath}: ${reasonOf(error)}`, {
          cause: error,
          hint: 'Check that the directory exists and the SSH user may write there.',
        });
      }
    });
    return { skipped: false, ...source };
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    const connection = await this.ready();
    return this.withLost(connection, `opening UNIX socket ${path}`, undefined, () =>
      new Promise<Duplex>((resolve, reject) => {
        connection.client.openssh_forwardOutStreamLocal(path, (error, stream) => {
          if (error) {
            reject(
              new HostChannelError(`Cannot open UNIX socket ${path} on ${this.name}: ${reasonOf(error)}`, {
                cause: error,
                hint: 'Check that the socket exists and the SSH user may open it (sshd needs AllowStreamLocalForwarding).',
              }),
            );
          } else {
            resolve(stream);
          }
        });
      }),
    );
  }

  async openTcp(host: string, port: number): Promise<Duplex> {
    const connection = await this.ready();
    return this.withLost(connection, `opening ${host}:${port}`, undefined, () =>
      new Promise<Duplex>((resolve, reject) => {
        connection.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
          if (error) {
            reject(
              new HostChannelError(`${this.name} cannot connect to ${host}:${port}: ${reasonOf(error)}`, {
                cause: error,
                hint: 'Check that something listens there, as seen from that host (sshd needs AllowTcpForwarding).',
              }),
            );
          } else {
            resolve(stream);
          }
        });
      }),
    );
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) {
      const reason = 'the host transport was disposed';
      for (const listener of [...connection.lostListeners]) listener(reason, undefined);
      connection.lostListeners.clear();
      // Commands still running would outlive the connection (no pty, no SIGHUP): kill their
      // process groups, waiting (briefly) for runs that have not told theirs yet.
      const deadline = Date.now() + (this.options.killGraceMs ?? 2_000);
      while ([...connection.runs].some((r) => r.pgid === undefined) && connection.alive && Date.now() < deadline) await delay(20);
      const groups = [...connection.runs].flatMap((r) => (r.pgid === undefined ? [] : [r.pgid]));
      await Promise.all(groups.map((pgid) => this.killGroup(connection, pgid)));
      this.drop(connection, reason, undefined);
    }
    this.setState({ kind: 'disposed' });
    await this.ownJump?.dispose();
  }

  // ---- connection ---------------------------------------------------------------------------

  private setState(state: HostState): void {
    if (this.stateValue.kind === 'disposed') return;
    this.stateValue = state;
    this.listeners.emit(state);
  }

  /** The live connection, connecting (with retries) when there is none. */
  private ready(signal?: AbortSignal): Promise<Connection> {
    if (this.disposed) return Promise.reject(new HostError(`The SSH transport of ${this.name} was disposed.`));
    try {
      (this.options.gate ?? OPEN_HOST_GATE).assertOpen(`connect to ${this.name}`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.connection?.alive) return Promise.resolve(this.connection);
    this.connecting ??= this.connectWithRetries().finally(() => {
      this.connecting = undefined;
    });
    if (signal === undefined) return this.connecting;
    const connecting = this.connecting;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new HostError(`Connecting to ${this.name} was cancelled.`, { cause: signal.reason }));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      connecting.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async connectWithRetries(): Promise<Connection> {
    const attempts = Math.max(1, this.options.connectAttempts ?? 3);
    let wait = this.options.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt += 1) {
      this.setState({ kind: 'connecting', attempt });
      try {
        const connection = await this.connectOnce();
        if (this.disposed) {
          connection.client.destroy();
          throw new HostError(`The SSH transport of ${this.name} was disposed.`);
        }
        this.connection = connection;
        this.setState({ kind: 'connected', since: new Date() });
        return connection;
      } catch (error) {
        const hostError = error instanceof HostError ? error : new HostUnreachableError(this.name, reasonOf(error), { cause: error });
        const retryable = hostError instanceof HostUnreachableError && !/ENOTFOUND|EAI_AGAIN/.test(hostError.reason);
        if (!retryable || attempt >= attempts || this.disposed) {
          this.setState({ kind: 'unreachable', reason: hostError, at: new Date() });
          throw hostError;
        }
        await delay(wait);
        wait = Math.min(wait * 2, 8_000);
      }
    }
  }

  private knownHostsPath(target: SshTarget): string {
    return this.options.knownHostsPath ?? target.userKnownHostsFiles[0] ?? join(this.options.home ?? homedir(), '.ssh', 'known_hosts');
  }

  private async connectOnce(): Promise<Connection> {
    const home = this.options.home ?? homedir();
    const target = await resolveSshTarget(this.spec, { configPath: this.options.sshConfigPath, home });
    // Checked before any connection: a lab file or record must not make us dial a pattern.
    const problem = hostAddressProblem(target.hostname) ?? userNameProblem(target.user);
    if (problem !== undefined) {
      throw new HostError(`Host "${this.name}" (${target.user}@${target.hostname}) cannot be reached safely: ${problem}.`, {
        hint: 'Fix its address or user in the lab file (or its HostName/User in ~/.ssh/config).',
      });
    }
    const knownHostsPath = this.knownHostsPath(target);
    const entries = await readKnownHosts([
      knownHostsPath,
      ...target.userKnownHostsFiles.filter((p) => p !== knownHostsPath),
      ...(this.options.globalKnownHostsPaths ?? ['/etc/ssh/ssh_known_hosts']),
    ]);
    const lookupName = target.hostKeyAlias?.toLowerCase() ?? knownHostsName(target.hostname, target.port);
    const known = knownKeyTypesFor(entries, lookupName).flatMap(hostKeyAlgorithmsFor);
    const serverHostKey = [...new Set([...known.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a)), ...DEFAULT_HOST_KEY_ALGORITHMS])];

    let sock: Duplex | undefined;
    if (target.jump !== undefined) {
      const jump = this.jumpFor(target.jump);
      try {
        sock = await jump.openTcp(target.hostname, target.port);
      } catch (error) {
        throw new HostUnreachableError(this.name, `the jump host ${jump.name} cannot reach ${target.hostname}:${target.port}: ${reasonOf(error)}`, {
          cause: error,
        });
      }
    }

    // ssh2 is loaded on the first connection, not with the editor: most sessions never use SSH.
    const { Client } = await import('ssh2');
    const client = new Client();
    let hostKeyError: HostKeyError | undefined;
    let timedOut = false;
    const agentSocket = this.options.agentSocket === null ? undefined : (this.options.agentSocket ?? process.env.SSH_AUTH_SOCK);
    const timer = new PausableTimer(this.options.connectTimeoutMs ?? 20_000, () => {
      timedOut = true;
      client.destroy();
      sock?.destroy();
    });
    const auth = makeAuthPlan({
      target,
      agentSocket: agentSocket === '' ? undefined : agentSocket,
      askSecret: this.options.askSecret,
      pause: () => timer.pause(),
      resume: () => timer.resume(),
      debug: this.options.debug,
    });

    const verify = async (key: Buffer): Promise<boolean> => {
      const presented: PresentedHostKey = { knownHostsName: lookupName, keyType: keyTypeOfBlob(key), fingerprint: sha256Fingerprint(key) };
      const verdict = checkHostKey(entries, lookupName, key);
      switch (verdict.kind) {
        case 'trusted':
          return true;
        case 'revoked':
          hostKeyError = new RevokedHostKeyError(presented, verdict.entry.file, verdict.entry.line);
          return false;
        case 'changed':
          hostKeyError = new ChangedHostKeyError(
            presented,
            verdict.known.map((e) => ({ fingerprint: sha256Fingerprint(e.key), file: e.file, line: e.line })),
          );
          return false;
        case 'unknown': {
          const info: HostKeyInfo = {
            ...presented,
            host: target.hostname,
            port: target.port,
            knownHostsPath,
            otherKeyTypes: verdict.otherKeyTypes,
          };
          let accepted = false;
          if (this.options.onUnknownHostKey !== undefined) {
            timer.pause();
            try {
              accepted = await this.options.onUnknownHostKey(presented.fingerprint, info);
            } finally {
              timer.resume();
            }
          }
          if (!accepted) {
            hostKeyError = new UnknownHostKeyError(presented, knownHostsPath, { otherKeyTypes: verdict.otherKeyTypes });
            return false;
          }
          await appendKnownHost(knownHostsPath, lookupName, key, { hash: this.options.hashKnownHosts ?? false });
          return true;
        }
      }
    };

    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        timer.clear();
        client.destroy();
        sock?.destroy();
        const where = `${target.user}@${target.hostname}:${target.port}`;
        if (hostKeyError !== undefined) reject(hostKeyError);
        else if (timedOut) reject(new HostUnreachableError(this.name, `no answer within ${this.options.connectTimeoutMs ?? 20_000} ms (${where})`));
        else if ((error as { level?: string }).level === 'client-authentication') {
          if (auth.unasked.reason !== undefined) reject(new SecretNeededError(target.hostname, target.user, auth.tried, auth.unasked.prompts, auth.unasked.reason));
          else reject(new HostAuthError(target.hostname, target.user, auth.tried, { detail: auth.notes.length > 0 ? `(${auth.notes.join('; ')})` : undefined }));
        } else reject(new HostUnreachableError(this.name, `${reasonOf(error)} (${where})`, { cause: error }));
      };
      client.once('ready', () => {
        if (settled) return;
        settled = true;
        timer.clear();
        client.setNoDelay(true);
        const connection: Connection = {
          client,
          target,
          alive: true,
          lostReason: undefined,
          lostListeners: new Set(),
          sftp: undefined,
          runs: new Set(),
        };
        client.on('error', (error: Error) => this.drop(connection, reasonOf(error), error));
        client.on('close', () => this.drop(connection, 'the connection was closed', undefined));
        client.on('end', () => this.drop(connection, 'the server ended the connection', undefined));
        sock?.once('close', () => this.drop(connection, 'the jump host connection closed', undefined));
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
          keepaliveInterval: this.options.keepaliveIntervalMs ?? 10_000,
          keepaliveCountMax: this.options.keepaliveCountMax ?? 2,
          hostVerifier: (key: Buffer, callback: (valid: boolean) => void) => {
            verify(key).then(callback, (error: unknown) => {
              hostKeyError ??= new UnknownHostKeyError(
                { knownHostsName: lookupName, keyType: keyTypeOfBlob(key), fingerprint: sha256Fingerprint(key) },
                knownHostsPath,
              );
              this.options.debug?.(`host key check failed: ${reasonOf(error)}`);
              callback(false);
            });
          },
          authHandler: auth.handler,
          algorithms: { serverHostKey: serverHostKey as never },
          debug: this.options.debug,
        });
      } catch (error) {
        fail(error);
      }
    });
  }

  private jumpFor(jump: SshJump): HostTransport {
    if (this.options.jumpTransport !== undefined) return this.options.jumpTransport(jump);
    this.ownJump ??= new SshTransport(
      { address: jump.address, user: jump.user, port: jump.port },
      {
        ...this.options,
        jumpTransport: () => {
          throw new SshConfigError(`The jump host ${jump.address} needs a jump host itself: that takes a HostPool.`);
        },
      },
    );
    return this.ownJump;
  }

  /** Marks a connection dead once, fails everything on it, and updates the state. */
  private drop(connection: Connection, reason: string, cause: unknown): void {
    if (!connection.alive) return;
    connection.alive = false;
    connection.lostReason = reason;
    connection.client.destroy();
    if (this.connection === connection) this.connection = undefined;
    for (const listener of [...connection.lostListeners]) listener(reason, cause);
    connection.lostListeners.clear();
    if (!this.disposed) {
      this.setState({
        kind: 'disconnected',
        reason: new HostConnectionLostError(this.name, undefined, reason, { cause }),
        at: new Date(),
      });
    }
  }

  /** Runs `body`, rejecting with HostConnectionLostError at once if the connection drops meanwhile. */
  private withLost<T>(connection: Connection, operation: string, signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!connection.alive) {
        reject(new HostConnectionLostError(this.name, operation, connection.lostReason ?? 'the connection was closed'));
        return;
      }
      const onLost = (reason: string, cause: unknown): void => reject(new HostConnectionLostError(this.name, operation, reason, { cause }));
      const onAbort = (): void => {
        reject(new HostError(`${operation} on ${this.name} was cancelled.`, { cause: signal?.reason }));
        const sftp = connection.sftp;
        connection.sftp = undefined;
        void sftp?.then((s) => s.end(), () => undefined);
      };
      connection.lostListeners.add(onLost);
      signal?.addEventListener('abort', onAbort, { once: true });
      body()
        .then(resolve, reject)
        .finally(() => {
          connection.lostListeners.delete(onLost);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  }

  /** Kills a remote process group over a channel of its own (best effort, bounded). */
  private killGroup(connection: Connection, pgid: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!connection.alive || !Number.isInteger(pgid) || pgid <= 1) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, 5_000);
      connection.client.exec(`exec kill -s KILL -- -${pgid}`, (error, ch) => {
        if (error) {
          clearTimeout(timer);
          resolve();
          return;
        }
        ch.on('data', () => undefined);
        ch.stderr.on('data', () => undefined);
        ch.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ch.end();
      });
    });
  }

  private sftp(connection: Connection): Promise<SFTPWrapper> {
    connection.sftp ??= new Promise<SFTPWrapper>((resolve, reject) => {
      connection.client.sftp((error, sftp) => {
        if (error) {
          connection.sftp = undefined;
          reject(new HostChannelError(`Cannot start SFTP on ${this.name}: ${reasonOf(error)}`, { cause: error, hint: 'sshd needs an sftp Subsystem.' }));
          return;
        }
        sftp.on('close', () => {
          if (connection.sftp === current) connection.sftp = undefined;
        });
        resolve(sftp);
      });
    });
    const current = connection.sftp;
    return current;
  }

  /** One exec channel: stream output, keep exit code and signal, kill on cancel. */
  private exec(
    connection: Connection,
    program: string,
    args: readonly string[],
    options: HostRunOptions,
    totalTimeoutMs: number | undefined,
  ): Promise<HostRunResult> {
    const command = remoteCommandLine(program, args, { ...options, announcePid: true });
    const grace = this.options.killGraceMs ?? 2_000;
    return new Promise<HostRunResult>((resolve, reject) => {
      const stdout = new OutputCollector(options.onStdout);
      const stderr = new OutputCollector(options.onStderr);
      let channel: ClientChannel | undefined;
      let settled = false;
      let cancelled: 'aborted' | 'timeout' | undefined;
      let exitCode: number | null = null;
      let exitSignal: NodeJS.Signals | null = null;
      let exitSeen = false;
      let killed = false;
      const timers: NodeJS.Timeout[] = [];
      const entry: { pgid: number | undefined } = { pgid: undefined };
      const announcement = new PidAnnouncement(
        (chunk) => stderr.push(chunk),
        (pid) => {
          entry.pgid = pid;
          if (cancelled !== undefined) killGroup();
        },
      );
      const killGroup = (): void => {
        const pid = announcement.pid;
        if (pid === undefined || killed) return;
        killed = true;
        void this.killGroup(connection, pid);
      };

      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        options.signal?.removeEventListener('abort', onAbort);
        connection.lostListeners.delete(onLost);
        settle();
      };
      const cancelledError = (): CommandCancelledError =>
        new CommandCancelledError(program, args, cancelled ?? 'aborted', stdout.text, stderr.text, {
          host: this.name,
          timeoutMs: totalTimeoutMs,
          cause: cancelled === 'aborted' ? options.signal?.reason : undefined,
        });
      const kill = (): void => {
        if (channel === undefined) return;
        const ch = channel;
        // sshd sends a signal request to the command's process group (killpg), except for root
        // logins (no privilege separation there); so we also kill the group over another channel.
        signalChannel(ch, 'KILL');
        killGroup();
        timers.push(
          setTimeout(() => {
            ch.close();
            timers.push(setTimeout(() => finish(() => reject(cancelledError())), grace));
          }, grace),
        );
      };
      const cancel = (reason: 'aborted' | 'timeout'): void => {
        if (cancelled !== undefined || settled) return;
        cancelled = reason;
        kill();
      };
      const onAbort = (): void => cancel('aborted');
      const onLost = (reason: string, cause: unknown): void => {
        finish(() => {
          if (cancelled !== undefined) reject(cancelledError());
          else reject(new HostConnectionLostError(this.name, `${program}`, reason, { cause }));
        });
      };
      connection.lostListeners.add(onLost);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) timers.push(setTimeout(() => cancel('timeout'), options.timeoutMs));

      connection.client.exec(command, (error, ch) => {
        if (error) {
          finish(() =>
            reject(
              connection.alive
                ? new HostChannelError(`Cannot start ${program} on ${this.name}: ${reasonOf(error)}`, { cause: error })
                : new HostConnectionLostError(this.name, program, connection.lostReason ?? reasonOf(error), { cause: error }),
            ),
          );
          return;
        }
        if (settled) {
          ch.close();
          return;
        }
        channel = ch;
        connection.runs.add(entry);
        if (cancelled !== undefined) kill();
        ch.on('data', (chunk: Buffer) => stdout.push(chunk));
        ch.stderr.on('data', (chunk: Buffer) => announcement.push(chunk));
        ch.on('error', () => {
          // Channel errors end in 'close'; the close handler decides.
        });
        ch.on('exit', (code: number | null, signalName?: string) => {
          exitSeen = true;
          if (typeof code === 'number') exitCode = code;
          else exitSignal = signalFromSsh(signalName);
        });
        ch.on('close', () => {
          connection.runs.delete(entry);
          announcement.end();
          stdout.end();
          stderr.end();
          if (!exitSeen && cancelled === undefined) {
            // No exit status: the connection went away under us. Let the client's own close
            // (with its reason) run first.
            setImmediate(() =>
              finish(() =>
                reject(new HostConnectionLostError(this.name, program, connection.lostReason ?? 'the channel closed without an exit status')),
              ),
            );
            return;
          }
          finish(() => {
            try {
              resolve(
                settleRun(
                  program,
                  args,
                  options,
                  { exitCode, signal: exitSignal, stdout: stdout.text, stderr: stderr.text },
                  this.name,
                  cancelled,
                  true,
                ),
              );
            } catch (settleError) {
              reject(settleError);
            }
          });
        });
        ch.end(options.stdin);
      });
    });
  }
}

