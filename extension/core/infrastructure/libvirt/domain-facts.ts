/**
 * Pure parsers of what virsh says about a domain QEMU Lab adopted but did not define: its
 * virtualization type (`dumpxml`: `<domain type='kvm'>`) and the guest addresses libvirt knows
 * (`domifaddr`). Both read untrusted text and never throw.
 */
import { isIP } from 'node:net';

/** `kvm` or `tcg` from a domain's XML root element; undefined when the XML says neither. */
export function accelOfDomainXml(xml: string): 'kvm' | 'tcg' | undefined {
  const match = /<domain\b[^>]*?\btype\s*=\s*(['"])([a-z]{1,16})\1/.exec(xml.slice(0, 4096));
  if (match === null) return undefined;
  if (match[2] === 'kvm') return 'kvm';
  return match[2] === 'qemu' ? 'tcg' : undefined;
}

/** One address `virsh domifaddr` lists. */
export interface DomainAddress {
  /** The interface's host-side name (`vnet0`), or `-` on a continuation line. */
  readonly interfaceName: string;
  readonly mac: string | undefined;
  readonly family: 'ipv4' | 'ipv6';
  /** The address without its prefix length. */
  readonly address: string;
  readonly prefix: number | undefined;
}

const ADDRESS_LINE = /^\s*(\S+)\s+(?:([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s+|-\s+)?(ipv4|ipv6)\s+([0-9A-Fa-f.:]{2,45})(?:\/(\d{1,3}))?\s*$/;

/**
 * The addresses of `virsh domifaddr DOMAIN` (a table: name, MAC, protocol, address/prefix; a
 * second address of one interface is on a line of its own with `-` for the name and no MAC).
 * Header, rule and other lines are skipped, and so is anything that is not an IP address.
 */
export function parseDomifaddr(text: string): DomainAddress[] {
  const addresses: DomainAddress[] = [];
  let lastInterface = '';
  let lastMac: string | undefined;
  for (const line of text.split('\n')) {
    const match = ADDRESS_LINE.exec(line);
    if (match === null) continue;
    const [, name = '', mac, family, address = '', prefix] = match;
    // Only what is an IP address of the family it claims reaches a lab file or an SSH command.
    if (isIP(address) !== (family === 'ipv6' ? 6 : 4)) continue;
    const continuation = name === '-';
    if (!continuation) {
      lastInterface = name;
      lastMac = mac?.toLowerCase();
    }
    addresses.push({
      interfaceName: continuation ? lastInterface : name,
      mac: continuation ? lastMac : mac?.toLowerCase(),
      family: family === 'ipv6' ? 'ipv6' : 'ipv4',
      address,
      prefix: prefix === undefined ? undefined : Number(prefix),
    });
  }
  return addresses;
}
