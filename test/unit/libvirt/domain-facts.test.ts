import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accelOfDomainXml, parseDomifaddr } from '../../../extension/core/infrastructure/libvirt/domain-facts';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

// virsh domifaddr's table (libvirt 9.0's layout: a header, a rule, one line per address; a second
// address of one interface has "-" for its name and no MAC).
const TABLE = [
  ' Name       MAC address          Protocol     Address',
  '-------------------------------------------------------------------------------',
  ' vnet0      52:54:00:ab:cd:ef    ipv4         192.168.122.50/24',
  ' -          -                    ipv6         fe80::5054:ff:feab:cdef/64',
  ' vnet1      52:54:00:11:22:33    ipv4         10.0.0.7/8',
  '',
].join('\n');

describe('parseDomifaddr', () => {
  it('reads what virsh --quiet domifaddr printed for real (libvirt 9.0, its test driver\'s domain "test")', () => {
    const captured = readFileSync(join(__dirname, '../../fixtures/libvirt/virsh/domifaddr-test-driver.txt'), 'utf8');
    expect(parseDomifaddr(captured)).toEqual([{ interfaceName: 'testnet0', mac: 'aa:bb:cc:dd:ee:ff', family: 'ipv4', address: '192.168.122.3', prefix: 24 }]);
  });

  it('reads every address with its interface, MAC and prefix', () => {
    expect(parseDomifaddr(TABLE)).toEqual([
      { interfaceName: 'vnet0', mac: '52:54:00:ab:cd:ef', family: 'ipv4', address: '192.168.122.50', prefix: 24 },
      { interfaceName: 'vnet0', mac: '52:54:00:ab:cd:ef', family: 'ipv6', address: 'fe80::5054:ff:feab:cdef', prefix: 64 },
      { interfaceName: 'vnet1', mac: '52:54:00:11:22:33', family: 'ipv4', address: '10.0.0.7', prefix: 8 },
    ]);
  });

  it('reads the header alone (a domain without addresses) as none, and never keeps what is not an IP address', () => {
    expect(parseDomifaddr(TABLE.split('\n').slice(0, 2).join('\n'))).toEqual([]);
    expect(parseDomifaddr(' vnet0  52:54:00:ab:cd:ef  ipv4  999.1.1.1/24\n vnet0 52:54:00:ab:cd:ef ipv6 10.0.0.1/64\n')).toEqual([]);
    for (const hostile of HOSTILE_STRINGS) expect(() => parseDomifaddr(hostile)).not.toThrow();
  });
});

describe('accelOfDomainXml', () => {
  it("reads kvm and qemu (TCG) from the domain's type, nothing else", () => {
    expect(accelOfDomainXml("<domain type='kvm' id='3'>\n  <name>web</name>")).toBe('kvm');
    expect(accelOfDomainXml('<domain type="qemu" xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">')).toBe('tcg');
    expect(accelOfDomainXml("<domain type='xen'>")).toBeUndefined();
    expect(accelOfDomainXml('')).toBeUndefined();
  });
});
