import { describe, expect, it } from 'vitest';
import { compareIdentity, parseNetworkIdentity } from '../../../extension/core/lab-run/network-identity';

// What the identity script printed in the built-in guest (busybox ip) on an isolated network.
const BUSYBOX = [
  'mac eth0 52:54:00:8e:4a:1c',
  '1: lo    inet 127.0.0.1/8 scope host lo',
  '2: eth0    inet 10.77.0.11/24 scope global eth0',
  '',
].join('\n');

describe("the guest's place on its network", () => {
  it('reads MACs and IPv4 addresses, leaving loopback and anything else out', () => {
    expect(parseNetworkIdentity(BUSYBOX)).toEqual({ macs: { eth0: '52:54:00:8e:4a:1c' }, addresses: { eth0: ['10.77.0.11/24'] } });
    const iproute2 = 'mac enp0s2 52:54:00:AA:BB:CC\n2: enp0s2    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic enp0s2\\       valid_lft 86000sec';
    expect(parseNetworkIdentity(iproute2)).toEqual({ macs: { enp0s2: '52:54:00:aa:bb:cc' }, addresses: { enp0s2: ['10.0.2.15/24'] } });
    expect(parseNetworkIdentity('mac eth0 not-a-mac\nmac `rm` 52:54:00:00:00:01\n2: eth0 inet 10.0.0.1 scope\nhello')).toEqual({ macs: {}, addresses: {} });
  });

  it('says whether the guest kept every MAC and address, and what changed', () => {
    const before = parseNetworkIdentity(BUSYBOX);
    expect(compareIdentity(before, before)).toEqual({ kept: true, changes: [] });
    expect(compareIdentity(before, { macs: { eth0: '52:54:00:00:00:02' }, addresses: { eth0: ['10.77.0.12/24'] } })).toEqual({
      kept: false,
      changes: ['eth0 MAC 52:54:00:8e:4a:1c → 52:54:00:00:00:02', 'eth0 lost 10.77.0.11/24 (now 10.77.0.12/24)'],
    });
    expect(compareIdentity(before, { macs: {}, addresses: {} }).changes).toEqual(['eth0 MAC 52:54:00:8e:4a:1c → gone', 'eth0 lost 10.77.0.11/24']);
    // Nothing to keep is not "kept".
    expect(compareIdentity({ macs: {}, addresses: {} }, { macs: {}, addresses: {} }).kept).toBe(false);
  });
});
