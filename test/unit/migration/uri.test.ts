import { describe, expect, it } from 'vitest';
import { MigrationError } from '../../../extension/core/migration/errors';
import { destinationAddress, parseSshConnection, tcpUri, type AddressFacts } from '../../../extension/core/migration/uri';

const base: AddressFacts = { sameMachine: false, override: undefined, destinationIsLocal: false, destinationSsh: undefined, sourceSsh: undefined };

describe('migration URIs', () => {
  it('are tcp:ADDRESS:PORT, IPv6 in brackets', () => {
    expect(tcpUri('127.0.0.1', 4444)).toBe('tcp:127.0.0.1:4444');
    expect(tcpUri('10.231.7.12', 49152)).toBe('tcp:10.231.7.12:49152');
    expect(tcpUri('fd00::2', 4444)).toBe('tcp:[fd00::2]:4444');
    expect(() => tcpUri('127.0.0.1', 0)).toThrow(RangeError);
    expect(() => tcpUri('127.0.0.1', 70000)).toThrow(RangeError);
  });

  it('read SSH_CONNECTION', () => {
    expect(parseSshConnection('10.231.7.1 51234 10.231.7.12 22\n')).toEqual({ clientAddress: '10.231.7.1', serverAddress: '10.231.7.12' });
    expect(parseSshConnection('fd00::1 51234 fd00::2 22')).toEqual({ clientAddress: 'fd00::1', serverAddress: 'fd00::2' });
    expect(parseSshConnection('')).toBeUndefined();
    expect(parseSshConnection('host 1 other 22')).toBeUndefined();
  });

  it('listen on loopback on one machine', () => {
    expect(destinationAddress({ ...base, sameMachine: true, destinationIsLocal: true })).toBe('127.0.0.1');
  });

  it('listen on the address we reach an SSH destination at, never 0.0.0.0', () => {
    const destinationSsh = { clientAddress: '10.231.7.11', serverAddress: '10.231.7.12' };
    expect(destinationAddress({ ...base, destinationSsh })).toBe('10.231.7.12');
  });

  it('listen on the address an SSH source sees us at when this machine is the destination', () => {
    const sourceSsh = { clientAddress: '10.231.7.1', serverAddress: '10.231.7.11' };
    expect(destinationAddress({ ...base, destinationIsLocal: true, sourceSsh })).toBe('10.231.7.1');
  });

  it("take the user's address first, if it is an IP address", () => {
    expect(destinationAddress({ ...base, sameMachine: true, override: '10.0.0.2' })).toBe('10.0.0.2');
    expect(() => destinationAddress({ ...base, override: 'lab-b.example' })).toThrow(/not an IP address/);
  });

  it('say what to do when the address cannot be told', () => {
    try {
      destinationAddress({ ...base, destinationIsLocal: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).hint).toMatch(/--address/);
    }
  });
});
