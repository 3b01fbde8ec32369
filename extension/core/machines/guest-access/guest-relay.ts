/**
 * Reaching a guest's SSH server on another host with this machine's OpenSSH client: the guest's
 * port is forwarded on that host's loopback, so this process listens on a UNIX socket in a
 * private folder and joins each connection to a stream opened through the host's own transport
 * (the lab's SSH connection, with its host-key checking and auth). OpenSSH gets there through a
 * ProxyCommand that only copies bytes between its stdin/stdout and that socket
 * ({@link relayStdio}). No TCP port is opened here, and no SSH check is turned off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import { describeError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { shellJoin } from '../../infrastructure/hosts/transports/quote';

/** A running relay; {@link GuestRelay.close} stops it and removes its folder. */
export interface GuestRelay {
  /** The UNIX socket OpenSSH's ProxyCommand connects to. */
  readonly socketPath: string;
  /** Why the last connection through the host failed, if one did (to explain ssh's exit 255). */
  readonly lastError: string | undefined;
  close(): Promise<void>;
}

/** Joins two streams both ways; either side ending or failing ends the other. */
function joinBothWays(a: Duplex, b: Duplex, onError: (error: unknown) => void): void {
  a.pipe(b);
  b.pipe(a);
  const stop = (error?: unknown): void => {
    if (error !== undefined) onError(error);
    a.destroy();
    b.destroy();
  };
  a.once('error', stop);
  b.once('error', stop);
  a.once('close', () => stop());
  b.once('close', () => stop());
}

/**
 * Starts a relay to `host:port` as `system` sees it (a guest's forwarded SSH port). Each
 * connection to the socket opens its own stream through the host.
 */
export async function startGuestRelay(system: HostSystem, host: string, port: number): Promise<GuestRelay> {
  // mkdtemp makes the folder 0700: only this user can reach the socket in it.
  const folder = await mkdtemp(join(tmpdir(), 'qemu-lab-relay-'));
  const socketPath = join(folder, 'guest.sock');
  let lastError: string | undefined;
  const open = new Set<Socket>();
  // Half-open: when ssh closes its side, the guest's answer still has to come back.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause(); // Nothing is lost while the stream through the host opens.
    system.openTcp(host, port).then(
      (remote) => {
        joinBothWays(client, remote, (error) => (lastError = describeError(error)));
        client.resume();
      },
      (error: unknown) => {
        lastError = describeError(error);
        client.destroy();
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    socketPath,
    get lastError() {
      return lastError;
    },
    async close() {
      for (const client of open) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The ProxyCommand line that runs `relayArgv` (a program that copies stdin/stdout to the socket,
 * see {@link relayStdio}). OpenSSH hands the line to a shell, so every word is quoted; it also
 * expands `%` tokens in it first, so a `%` is doubled.
 */
export function proxyCommandLine(relayArgv: readonly string[]): string {
  return shellJoin(relayArgv).replaceAll('%', '%%');
}

/**
 * The ProxyCommand's side: copies `input` to the UNIX socket and the socket to `output` until
 * the socket closes. Resolves with 0, or 1 when the socket cannot be opened (its reason on `err`).
 */
export function relayStdio(socketPath: string, input: Readable, output: Writable, err: (text: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: socketPath, allowHalfOpen: true });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      input.pipe(socket);
      socket.pipe(output);
    });
    socket.once('error', (error) => {
      if (!connected) err(`qemu-lab: cannot reach the relay at ${socketPath}: ${error.message}\n`);
    });
    socket.once('close', () => {
      input.unpipe(socket);
      // Standard input would keep the process alive after the other side is gone.
      if ('destroy' in input && typeof input.destroy === 'function') input.destroy();
      resolve(connected ? 0 : 1);
    });
  });
}
