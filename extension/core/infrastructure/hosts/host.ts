/**
 * A host QEMU Lab works on: this machine ({@link LocalTransport}) or another one over SSH
 * ({@link SshTransport}, one multiplexed connection per host, see {@link HostPool}). Both run
 * programs from argv arrays (never a shell line made by pasting), stream their output, can be
 * cancelled, copy files, and open streams to UNIX sockets and TCP ports as the host sees them.
 *
 * ```ts
 * const pool = new HostPool({ askSecret, onUnknownHostKey });
 * const host = pool.get({ address: 'lab-a' });           // alias from ~/.ssh/config
 * const { stdout } = await host.run('uname', ['-r']);
 * await host.upload('guest.img', '/var/lib/qemu-lab/guest.img', { mode: 0o644 });
 * await qmp.connectStream(await host.openUnixSocket('/run/qemu-lab/vm1/qmp.sock'));
 * await pool.dispose();
 * ```
 */
import type { Duplex } from 'node:stream';
import type { HostError } from '../../errors';
import type { KeepOutput } from './output-collector';

/** Options of {@link HostTransport.run}. */
export interface HostRunOptions {
  /** Cancels the run: the process (its whole process group) is killed, run() rejects with CommandCancelledError. */
  readonly signal?: AbortSignal;
  /** Kills the process after this long; run() rejects with CommandCancelledError (reason `timeout`). */
  readonly timeoutMs?: number;
  /** Called with each piece of standard output as it comes (UTF-8, never split inside a character). */
  readonly onStdout?: (chunk: string) => void;
  /**
   * `tail`: the result's `stdout` is only the output's last 4096 characters, for a
   * long-lived run whose output goes to `onStdout` (nothing piles up). Default `all`.
   */
  readonly keepStdout?: KeepOutput;
  /** Called with each piece of standard error as it comes. */
  readonly onStderr?: (chunk: string) => void;
  /** Fed to standard input, which is then closed. Without it standard input is empty (closed at once). */
  readonly stdin?: string | Buffer;
  /** Working directory on the host. */
  readonly cwd?: string;
  /** Extra environment variables (names: letters, digits, `_`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Reject with CommandFailedError on a non-zero exit or a signal. Default true (as runProgram). */
  readonly check?: boolean;
  /** Hint of the ProgramNotFoundError when the program does not exist on the host. */
  readonly missingHint?: string;
}

/** What a finished program left behind. */
export interface HostRunResult {
  readonly exitCode: number | null;
  /** e.g. `SIGTERM` when a signal ended it, else null. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link HostTransport.upload}. */
export interface HostUploadOptions {
  /** File mode of the remote file, e.g. 0o644. Default 0o644. */
  readonly mode?: number;
  readonly signal?: AbortSignal;
}

/** What {@link HostTransport.upload} did. */
export interface HostUploadResult {
  /** True when the remote file already had the same SHA-256 and nothing was copied. */
  readonly skipped: boolean;
  /** SHA-256 of the file (hex). */
  readonly sha256: string;
  readonly bytes: number;
}

/** The connection state of a host, for the tree view. A local host is always `connected`. */
export type HostState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'connected'; readonly since: Date }
  /** An established connection dropped; the next operation reconnects. */
  | { readonly kind: 'disconnected'; readonly reason: HostError; readonly at: Date }
  /** The last connection attempt failed; the next operation tries again. */
  | { readonly kind: 'unreachable'; readonly reason: HostError; readonly at: Date }
  | { readonly kind: 'disposed' };

/** Something to stop listening with. */
export interface HostSubscription {
  dispose(): void;
}

/** A host QEMU Lab can work on. */
export interface HostTransport {
  /** `local`, or the host as named (alias / address) for messages. */
  readonly name: string;
  readonly kind: 'local' | 'ssh';
  readonly state: HostState;
  /** Calls `listener` on every state change; exceptions it throws are ignored. */
  onStateChange(listener: (state: HostState) => void): HostSubscription;
  /**
   * Runs `program` with `args` (each one argument exactly, whatever it holds) and waits for it.
   *
   * @throws CommandFailedError on a non-zero exit or a signal (unless `check: false`).
   * @throws CommandCancelledError when aborted or timed out (the process is killed first).
   * @throws ProgramNotFoundError when the program does not exist on the host.
   * @throws HostUnreachableError / HostAuthError / HostKeyError when no connection can be made.
   * @throws HostConnectionLostError when the connection drops meanwhile.
   */
  run(program: string, args: readonly string[], options?: HostRunOptions): Promise<HostRunResult>;
  /** Copies a local file to the host, unless the host's file already has the same SHA-256. */
  upload(localPath: string, remotePath: string, options?: HostUploadOptions): Promise<HostUploadResult>;
  /** A stream connected to a UNIX socket on the host (e.g. a QMP socket for QmpClient.connectStream). */
  openUnixSocket(path: string): Promise<Duplex>;
  /** A stream connected to `host:port` as the host sees it (a jump through the host). */
  openTcp(host: string, port: number): Promise<Duplex>;
  /** Closes the connection; later calls reject. */
  dispose(): Promise<void>;
}
