/**
 * The guest addresses libvirt knows of a domain, for "Add to Lab" and `qemu-lab adopt` to offer
 * when the user names none: first from libvirt's DHCP leases (`domifaddr`, a libvirt network),
 * then from the host's ARP table (`--source arp`, a bridge). IPv4 first. Reading only.
 */
import { parseDomifaddr, type DomainAddress } from './domain-facts';
import { LibvirtError } from './libvirt-errors';
import type { Virsh } from './virsh';

/** The domain's addresses as libvirt reports them; empty when it knows none (or the domain is not running). */
export async function domainAddresses(virsh: Virsh, domain: string, signal?: AbortSignal): Promise<DomainAddress[]> {
  for (const source of [[], ['--source', 'arp']] as const) {
    const out = await virsh.runOnDomain(['domifaddr', domain, ...source], { signal }).catch((error: unknown) => {
      // A domain that is shut off has no addresses; any other failure is the user's to see.
      if (error instanceof LibvirtError && /not running/i.test(error.message)) return undefined;
      throw error;
    });
    const found = parseDomifaddr(out ?? '');
    if (found.length > 0) return [...found.filter((a) => a.family === 'ipv4'), ...found.filter((a) => a.family === 'ipv6')];
  }
  return [];
}
