/**
 * One SSH connection and what hangs on it (lost-listeners, the SFTP session, the exec
 * channels still open), shared by the parts of the SSH transport: connect, exec, SFTP, forwarding.
 */
import type { Client, SFTPWrapper } from 'ssh2';
import { HostError } from '../../../errors';
import { HostConnectionLostError } from '../host-errors';
import type { SshTarget } from './ssh-config';

/** One SSH connection and what hangs on it. */
export interface SshConnection {
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

/** A fresh connection record for a client that has just become ready. */
export function newSshConnection(client: Client, target: SshTarget): SshConnection {
  return { client, target, alive: true, lostReason: undefined, lostListeners: new Set(), sftp: undefined, runs: new Set() };
}

/** An ssh2 error as one short reason. */
export function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string; level?: string };
  if (e.code !== undefined && e.message?.includes(e.code) !== true) return `${e.message ?? 'error'} (${e.code})`;
  return e.message ?? String(error);
}

/**
 * Runs `body`, rejecting with HostConnectionLostError at once if the connection drops meanwhile
 * (and with a HostError when `signal` aborts, closing the SFTP session the body may be using).
 *
 * @param hostName the host, for messages.
 * @param operation what `body` does, for messages, e.g. `upload of ./x`.
 */
export function whileConnected<T>(
  connection: SshConnection,
  hostName: string,
  operation: string,
  signal: AbortSignal | undefined,
  body: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!connection.alive) {
      reject(new HostConnectionLostError(hostName, operation, connection.lostReason ?? 'the connection was closed'));
      return;
    }
    const onLost = (reason: string, cause: unknown): void => reject(new HostConnectionLostError(hostName, operation, reason, { cause }));
    const onAbort = (): void => {
      reject(new HostError(`${operation} on ${hostName} was cancelled.`, { cause: signal?.reason }));
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
