/**
 * Where the destination listens and how the source reaches it. On one host: loopback. Between
 * hosts: the destination's own address as its peers see it, never 0.0.0.0 (nothing but the
 * source should be able to connect to an incoming migration).
 */
import { isIP } from 'node:net';
import { MigrationError } from './errors';

/** `tcp:ADDRESS:PORT`, with an IPv6 address in brackets. */
export function tcpUri(address: string, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`Not a TCP port: ${port}`);
  return isIP(address) === 6 ? `tcp:[${address}]:${port}` : `tcp:${address}:${port}`;
}

/** The parts of OpenSSH's `SSH_CONNECTION` (`client-ip client-port server-ip server-port`). */
export interface SshConnectionInfo {
  readonly clientAddress: string;
  readonly serverAddress: string;
}

/** Parses `SSH_CONNECTION`; undefined unless it holds two IP addresses. */
export function parseSshConnection(value: string): SshConnectionInfo | undefined {
  const [clientAddress, , serverAddress] = value.trim().split(/\s+/);
  if (clientAddress === undefined || serverAddress === undefined) return undefined;
  if (isIP(clientAddress) === 0 || isIP(serverAddress) === 0) return undefined;
  return { clientAddress, serverAddress };
}

/** What decides the destination's listening address. */
export interface AddressFacts {
  /** Source and destination are the same machine (the same lab host). */
  readonly sameMachine: boolean;
  /** An address given by the user (`--address`); it wins. */
  readonly override: string | undefined;
  /** The destination is this machine (`local`). */
  readonly destinationIsLocal: boolean;
  /** `SSH_CONNECTION` as seen on the destination (when it is an SSH host). */
  readonly destinationSsh: SshConnectionInfo | undefined;
  /** `SSH_CONNECTION` as seen on the source (when it is an SSH host). */
  readonly sourceSsh: SshConnectionInfo | undefined;
}

/**
 * The address the destination listens on, which the source connects to:
 * - the user's `--address`, if given;
 * - one machine: 127.0.0.1;
 * - an SSH destination: the address we reach it at (the server side of its `SSH_CONNECTION`);
 * - this machine as the destination of an SSH source: the address that source sees us at (the
 *   client side of the source's `SSH_CONNECTION`).
 */
export function destinationAddress(facts: AddressFacts): string {
  if (facts.override !== undefined) {
    if (isIP(facts.override) === 0) {
      throw new MigrationError(`--address ${facts.override} is not an IP address.`, {
        phase: 'begin',
        hint: 'Give the destination host address the source can reach, e.g. 10.0.0.2.',
      });
    }
    return facts.override;
  }
  if (facts.sameMachine) return '127.0.0.1';
  if (!facts.destinationIsLocal) {
    if (facts.destinationSsh !== undefined) return facts.destinationSsh.serverAddress;
  } else if (facts.sourceSsh !== undefined) {
    return facts.sourceSsh.clientAddress;
  }
  throw new MigrationError('Cannot tell which address of the destination the source can reach.', {
    phase: 'begin',
    hint: 'Give it with --address (the destination host address on the network between the hosts).',
  });
}
