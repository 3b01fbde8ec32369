/** This machine as a {@link HostTransport}: child_process with argv arrays, node:fs, node:net. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { chmod, copyFile, rename, rm, stat } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { HostError } from '../../../errors';
import type { HostRunOptions, HostRunResult, HostState, HostSubscription, HostTransport, HostUploadOptions, HostUploadResult } from '../host';
import { CommandCancelledError, HostChannelError, ProgramNotFoundError } from '../host-errors';
import { OPEN_HOST_GATE, type HostGate } from '../host-gate';
import { settleRun, validateRun } from './run-support';
import { OutputCollector } from '../output-collector';
import { StateListeners } from '../state-listeners';

/** SHA-256 (hex) and size of a local file. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * This machine. Always `connected` until disposed. Every run and socket asks `gate` first: a
 * closed gate (an untrusted workspace) refuses with HostAccessRefusedError and starts nothing.
 */
export class LocalTransport implements HostTransport {
  readonly name = 'local';
  readonly kind = 'local' as const;
  private readonly since = new Date();
  private disposed = false;
  private readonly listeners = new StateListeners();

  constructor(private readonly gate: HostGate = OPEN_HOST_GATE) {}

  get state(): HostState {
    return this.disposed ? { kind: 'disposed' } : { kind: 'connected', since: this.since };
  }

  onStateChange(listener: (state: HostState) => void): HostSubscription {
    return this.listeners.add(listener);
  }

  run(program: string, args: readonly string[], options: HostRunOptions = {}): Promise<HostRunResult> {
    try {
      this.requireOpen(`run ${program}`);
      validateRun(program, args, options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.signal?.aborted) {
      return Promise.reject(new CommandCancelledError(program, args, 'aborted', '', '', { host: this.name, cause: options.signal.reason }));
    }
    return new Promise((resolve, reject) => {
      // Its own process group (setsid), so cancelling kills what it started too, as over SSH.
      const child = spawn(program, [...args], {
        cwd: options.cwd,
        env: options.env === undefined ? undefined : { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const stdout = new OutputCollector(options.onStdout, options.keepStdout);
      const stderr = new OutputCollector(options.onStderr);
      let cancelled: 'aborted' | 'timeout' | undefined;
      const kill = (reason: 'aborted' | 'timeout'): void => {
        cancelled ??= reason;
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const onAbort = (): void => kill('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => kill('timeout'), options.timeoutMs);
      const cleanup = (): void => {
        options.signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => {
        // The program may exit without reading its input (EPIPE): not an error of the run.
      });
      child.stdin.end(options.stdin);
      child.on('error', (error: NodeJS.ErrnoException) => {
        cleanup();
        if (error.code === 'ENOENT') reject(new ProgramNotFoundError(program, this.name, { hint: options.missingHint, cause: error }));
        else reject(new HostError(`Cannot run ${program}: ${error.message}`, { cause: error }));
      });
      child.on('close', (exitCode, signal) => {
        cleanup();
        stdout.end();
        stderr.end();
        try {
          resolve(settleRun(program, args, options, { exitCode, signal, stdout: stdout.text, stderr: stderr.text }, this.name, cancelled));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  async upload(localPath: string, remotePath: string, options: HostUploadOptions = {}): Promise<HostUploadResult> {
    this.requireOpen(`copy ${localPath}`);
    const mode = options.mode ?? 0o644;
    const source = await sha256OfFile(localPath, options.signal);
    const existing = await sha256OfFile(remotePath, options.signal).catch(() => undefined);
    if (existing?.sha256 === source.sha256) {
      if (((await stat(remotePath)).mode & 0o7777) !== mode) await chmod(remotePath, mode);
      return { skipped: true, ...source };
    }
    const temp = join(dirname(remotePath), `.${basename(remotePath)}.qemu-lab-${randomBytes(4).toString('hex')}`);
    try {
      // Exclusive, like writeFileAtomically: never through something planted at the temporary name.
      await copyFile(localPath, temp, constants.COPYFILE_EXCL);
      await chmod(temp, mode);
      await rename(temp, remotePath);
    } catch (error) {
      await rm(temp, { force: true });
      throw new HostError(`Cannot copy ${localPath} to ${remotePath}: ${(error as Error).message}`, { cause: error });
    }
    return { skipped: false, ...source };
  }

  openUnixSocket(path: string): Promise<Duplex> {
    return this.openSocket(() => netConnect({ path }), `UNIX socket ${path}`);
  }

  openTcp(host: string, port: number): Promise<Duplex> {
    return this.openSocket(() => netConnect({ host, port }), `${host}:${port}`);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.emit(this.state);
  }

  private openSocket(make: () => Socket, what: string): Promise<Duplex> {
    try {
      this.requireOpen(`connect to ${what}`);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const socket = make();
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(new HostChannelError(`Cannot connect to ${what} on this machine: ${error.code ?? error.message}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.removeListener('error', onError);
        resolve(socket);
      });
    });
  }

  private requireOpen(action: string): void {
    if (this.disposed) throw new HostError('The local host transport was disposed.');
    this.gate.assertOpen(action);
  }
}
