/** Streams forwarded over an SSH connection: to a UNIX socket or a TCP port as seen from the host. */
import type { Duplex } from 'node:stream';
import { HostChannelError } from '../host-errors';
import { reasonOf, type SshConnection, whileConnected } from './ssh-connection';

/** Opens a UNIX socket on the host (sshd's streamlocal forwarding); fails at once if the connection drops. */
export function forwardUnixSocket(connection: SshConnection, hostName: string, path: string): Promise<Duplex> {
  return whileConnected(connection, hostName, `opening UNIX socket ${path}`, undefined, () =>
    new Promise<Duplex>((resolve, reject) => {
      connection.client.openssh_forwardOutStreamLocal(path, (error, stream) => {
        if (error) {
          reject(
            new HostChannelError(`Cannot open UNIX socket ${path} on ${hostName}: ${reasonOf(error)}`, {
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

/** Opens `host:port` as seen from the SSH host (direct-tcpip); fails at once if the connection drops. */
export function forwardTcp(connection: SshConnection, hostName: string, host: string, port: number): Promise<Duplex> {
  return whileConnected(connection, hostName, `opening ${host}:${port}`, undefined, () =>
    new Promise<Duplex>((resolve, reject) => {
      connection.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
        if (error) {
          reject(
            new HostChannelError(`${hostName} cannot connect to ${host}:${port}: ${reasonOf(error)}`, {
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
