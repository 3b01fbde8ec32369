/**
 * A host over SSH (ssh2): one connection, opened on first use and shared by every operation
 * (exec channels, SFTP, forwarded sockets), reopened with backoff on the next use after it
 * dropped. Host keys are checked against known_hosts; auth per ssh-auth.ts.
 *
 * This file keeps the connection's state (connect with retries, drop, dispose); one attempt is
 * `ssh-connect.ts`, commands `ssh-exec.ts`, SFTP `ssh-sftp.ts`, forwarded streams `ssh-forward.ts`.
 */
import type { Duplex } from 'node:stream';
import { HostError } from '../../../errors';
import { sleep } from '../../support/sleep';
import type { HostRunOptions, HostRunResult, HostState, HostSubscription, HostTransport, HostUploadOptions, HostUploadResult } from '../host';
import { OPEN_HOST_GATE } from '../host-gate';
import { CommandCancelledError, HostConnectionLostError, HostUnreachableError, SshConfigError } from '../host-errors';
import { StateListeners } from '../state-listeners';
import { ExecSlots } from './exec-slots';
import { sha256OfFile } from './local-transport';
import { validateRun } from './run-support';
import type { AskSecret, SecretPrompt } from './ssh-auth';
import type { SshHostSpec, SshJump } from './ssh-config';
import { openSshConnection } from './ssh-connect';
import { reasonOf, type SshConnection } from './ssh-connection';
import { execOnChannel, killProcessGroup } from './ssh-exec';
import { forwardTcp, forwardUnixSocket } from './ssh-forward';
import type { HostKeyInfo, SshTransportOptions } from './ssh-options';
import { sftpUpload } from './ssh-sftp';

export type { AskSecret, HostKeyInfo, SecretPrompt, SshTransportOptions };

/** A host reached over SSH. Prefer {@link HostPool.get}, which keeps one per host. */
export class SshTransport implements HostTransport {
  readonly kind = 'ssh' as const;
  readonly name: string;
  private stateValue: HostState = { kind: 'idle' };
  private readonly listeners = new StateListeners();
  private connection: SshConnection | undefined;
  private connecting: Promise<SshConnection> | undefined;
  private disposed = false;
  private ownJump: HostTransport | undefined;
  private readonly slots: ExecSlots;

  constructor(
    readonly spec: SshHostSpec,
    private readonly options: SshTransportOptions = {},
  ) {
    this.name = spec.address;
    this.slots = new ExecSlots(options.maxSessions ?? 8);
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
    let connection: SshConnection;
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
      return await execOnChannel(connection, this.name, {
        program,
        args,
        options: { ...options, timeoutMs },
        totalTimeoutMs: options.timeoutMs,
        killGraceMs: this.options.killGraceMs ?? 2_000,
      });
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
    await sftpUpload(connection, this.name, localPath, remotePath, mode, options.signal);
    return { skipped: false, ...source };
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    return forwardUnixSocket(await this.ready(), this.name, path);
  }

  async openTcp(host: string, port: number): Promise<Duplex> {
    return forwardTcp(await this.ready(), this.name, host, port);
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
      while ([...connection.runs].some((r) => r.pgid === undefined) && connection.alive && Date.now() < deadline) await sleep(20);
      const groups = [...connection.runs].flatMap((r) => (r.pgid === undefined ? [] : [r.pgid]));
      await Promise.all(groups.map((pgid) => killProcessGroup(connection, pgid)));
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
  private ready(signal?: AbortSignal): Promise<SshConnection> {
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

  private async connectWithRetries(): Promise<SshConnection> {
    const attempts = Math.max(1, this.options.connectAttempts ?? 3);
    let wait = this.options.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt += 1) {
      this.setState({ kind: 'connecting', attempt });
      try {
        const connection = await openSshConnection({
          spec: this.spec,
          name: this.name,
          options: this.options,
          jumpFor: (jump) => this.jumpFor(jump),
          onDrop: (dropped, reason, cause) => this.drop(dropped, reason, cause),
        });
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
        await sleep(wait);
        wait = Math.min(wait * 2, 8_000);
      }
    }
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
  private drop(connection: SshConnection, reason: string, cause: unknown): void {
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
}
