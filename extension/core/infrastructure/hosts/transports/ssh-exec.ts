/**
 * Commands over SSH exec channels: output streamed, exit code and signal kept, and on cancel
 * (abort or timeout) the remote process group killed, since sshd does not always forward the signal.
 */
import type { ClientChannel } from 'ssh2';
import type { HostRunOptions, HostRunResult } from '../host';
import { CommandCancelledError, HostChannelError, HostConnectionLostError } from '../host-errors';
import { PidAnnouncement, remoteCommandLine, settleRun, signalFromSsh } from './run-support';
import { OutputCollector } from '../output-collector';
import { reasonOf, type SshConnection } from './ssh-connection';

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

/** Kills a remote process group over a channel of its own (best effort, bounded). */
export function killProcessGroup(connection: SshConnection, pgid: number): Promise<void> {
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

/** What {@link execOnChannel} runs and how. */
export interface ChannelRun {
  readonly program: string;
  readonly args: readonly string[];
  /** The run's options; `timeoutMs` here is what is left of it after connecting. */
  readonly options: HostRunOptions;
  /** The timeout the caller asked for, for the CommandCancelledError. */
  readonly totalTimeoutMs: number | undefined;
  /** After SIGKILL, how long to wait for the channel to close before closing it ourselves. */
  readonly killGraceMs: number;
}

/**
 * Runs one command on an exec channel of `connection`: streams output, keeps exit code and
 * signal, kills its process group on cancel, fails at once if the connection drops.
 *
 * @param hostName the host, for messages.
 */
export function execOnChannel(connection: SshConnection, hostName: string, run: ChannelRun): Promise<HostRunResult> {
  const { program, args, options, totalTimeoutMs, killGraceMs: grace } = run;
  const command = remoteCommandLine(program, args, { ...options, announcePid: true });
  return new Promise<HostRunResult>((resolve, reject) => {
    const stdout = new OutputCollector(options.onStdout, options.keepStdout);
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
      void killProcessGroup(connection, pid);
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
        host: hostName,
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
        else reject(new HostConnectionLostError(hostName, `${program}`, reason, { cause }));
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
              ? new HostChannelError(`Cannot start ${program} on ${hostName}: ${reasonOf(error)}`, { cause: error })
              : new HostConnectionLostError(hostName, program, connection.lostReason ?? reasonOf(error), { cause: error }),
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
              reject(new HostConnectionLostError(hostName, program, connection.lostReason ?? 'the channel closed without an exit status')),
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
                hostName,
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
