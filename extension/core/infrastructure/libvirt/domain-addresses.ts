/**
 * The guest addresses libvirt knows of a domain, for "Add to Lab" and `qemu-lab adopt` to offer
 * when the user names none: first from libvirt's DHCP leases (`domifaddr`, a libvirt network),
 * then from the host's ARP table (`--source arp`, a bridge). IPv4 first. Reading only.
 */
import { parseDomifaddr, type DomainAddress } from './domain-facts';
import { LibvirtError } from './libvirt-errors';
import type { Virsh } from './virsh';

/** IPv4 addresses first, then IPv6. */
function ipv4First(found: readonly DomainAddress[]): DomainAddress[] {
  return [...found.filter((a) => a.family === 'ipv4'), ...found.filter((a) => a.family === 'ipv6')];
}

/** The domain's addresses as libvirt reports them; empty when it knows none (or the domain is not running). */
export async function domainAddresses(virsh: Virsh, domain: string, signal?: AbortSignal): Promise<DomainAddress[]> {
  let leases: string | undefined;
  try {
    leases = await virsh.runOnDomain(['domifaddr', domain], { signal });
  } catch (error) {
    // A domain that is shut off has no addresses; any other failure is the user's to see.
    if (error instanceof LibvirtError && /not running/i.test(error.message)) return [];
    throw error;
  }
  const fromLeases = parseDomifaddr(leases ?? '');
  if (fromLeases.length > 0) return ipv4First(fromLeases);
  try {
    return ipv4First(parseDomifaddr((await virsh.runOnDomain(['domifaddr', domain, '--source', 'arp'], { signal })) ?? ''));
  } catch (error) {
    // The ARP table is a second guess after the leases answered: libvirt 9.0 fails it on a domain
    // with no libvirt interface ("Failed to query for interfaces addresses internal error: wrong
    // nlmsg len", seen for real by adopt-domain.test.ts), which means no address, not a fault.
    if (error instanceof LibvirtError) return [];
    throw error;
  }
}
