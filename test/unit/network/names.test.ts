import { describe, expect, it } from 'vitest';
import { macAddress, namespaceName, tapName } from '../../../extension/core/infrastructure/network/names';
import { addressPart, formatIpv4, inSubnet, parseIpv4Cidr, suggestedGuestAddress } from '../../../extension/core/infrastructure/network/ipv4';
import { defaultGateway, tapPlanFor } from '../../../extension/core/infrastructure/network/tap-network';

const location = { labPath: '/home/u/lab/qemu-lab.yaml', vmName: 'vm1', host: 'local' };

describe('names of what the tool makes for bridge networks', () => {
  it('a TAP name is a valid, stable Linux interface name, unique per host and slot', () => {
    const tap = tapName(location);
    expect(tap).toMatch(/^qlt[0-9a-f]{8}$/);
    expect(tap.length).toBeLessThanOrEqual(15);
    expect(tapName(location)).toBe(tap);
    expect(tapName({ ...location, slot: 'b' })).not.toBe(tap);
    expect(tapName({ ...location, host: 'lab-b' })).not.toBe(tap);
    expect(tapName({ ...location, labPath: '/other/qemu-lab.yaml' })).not.toBe(tap);
  });

  it('a MAC is locally administered in QEMU’s range and the same for the VM on every host', () => {
    const mac = macAddress(location.labPath, 'vm1');
    expect(mac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(macAddress(location.labPath, 'vm2')).not.toBe(mac);
    expect(tapPlanFor({ name: 'lan', kind: 'bridge', bridge: 'br0', span: undefined }, { ...location, host: 'lab-b' }).attachment.mac).toBe(mac);
  });

  it('a namespace per lab file and network', () => {
    expect(namespaceName(location.labPath, 'lab')).toMatch(/^qlab-[0-9a-f]{10}$/);
    expect(namespaceName(location.labPath, 'lab2')).not.toBe(namespaceName(location.labPath, 'lab'));
  });

  it('a user bridge is used as it is, in the host’s own namespace; an isolated one gets ours', () => {
    const bridge = tapPlanFor({ name: 'lan', kind: 'bridge', bridge: 'br0', span: undefined }, location);
    expect(bridge).toMatchObject({ bridge: 'br0', namespace: undefined, attachment: { kind: 'tap', tapName: tapName(location) } });
    const isolated = tapPlanFor({ name: 'lab', kind: 'isolated', address: '10.77.0.1/24', span: undefined }, location);
    expect(isolated).toMatchObject({ bridge: 'qlbr0', namespace: namespaceName(location.labPath, 'lab') });
    expect(defaultGateway(isolated.network)).toBe('10.77.0.1');
    expect(defaultGateway(bridge.network)).toBeUndefined();
  });
});

describe('IPv4 arithmetic', () => {
  it('parses and formats', () => {
    const cidr = parseIpv4Cidr('10.77.0.1/24');
    expect(cidr).toEqual({ address: 0x0a4d0001, prefix: 24 });
    expect(formatIpv4(0x0a4d0001)).toBe('10.77.0.1');
    for (const bad of ['10.77.0.1', '10.77.0.1/33', 'fd00::1/64', '10.77.0/24', '10.77.0.1/24/1', '']) expect(parseIpv4Cidr(bad)).toBeUndefined();
  });

  it('knows what is on a subnet', () => {
    const cidr = parseIpv4Cidr('10.77.0.1/24');
    if (cidr === undefined) throw new Error('unparsed');
    expect(inSubnet(cidr, 0x0a4d00ff)).toBe(true);
    expect(inSubnet(cidr, 0x0a4d0100)).toBe(false);
    expect(inSubnet({ address: 0, prefix: 0 }, 0xffffffff)).toBe(true);
  });

  it('suggests guest addresses from .11, never outside the subnet', () => {
    const cidr = parseIpv4Cidr('10.77.0.1/24');
    if (cidr === undefined) throw new Error('unparsed');
    expect(suggestedGuestAddress(cidr, 0)).toBe('10.77.0.11/24');
    expect(suggestedGuestAddress(cidr, 2)).toBe('10.77.0.13/24');
    expect(suggestedGuestAddress(cidr, 300)).toBeUndefined();
    expect(suggestedGuestAddress({ address: 0x0a4d0001, prefix: 30 }, 0)).toBeUndefined();
    expect(addressPart('10.77.0.11/24')).toBe('10.77.0.11');
    expect(addressPart('10.77.0.11')).toBe('10.77.0.11');
  });
});
