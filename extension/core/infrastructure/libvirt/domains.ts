/**
 * The domains a libvirt host already has, QEMU Lab's or not: what the host list shows, read-only.
 * One `virsh domstats` call for all of them (state, vCPUs, memory, NICs, disks).
 */
import { DOMAIN_PREFIX } from './domain-xml';
import type { Virsh } from './virsh';
import { parseDomstats, summarizeDomstats, type DomainSummary } from './virsh-parsers';

/** A domain of a libvirt host. */
export interface ExistingDomain extends DomainSummary {
  /** Named like a lab VM's domain (`qemu-lab-…`); every other domain is the user's own. */
  readonly lab: boolean;
}

/** Every domain of the host, running or not, in libvirt's order. */
export async function listDomains(virsh: Virsh, options: { readonly signal?: AbortSignal } = {}): Promise<ExistingDomain[]> {
  const out = await virsh.run(['domstats', '--state', '--vcpu', '--balloon', '--interface', '--block'], options);
  return parseDomstats(out).map((stats) => {
    const summary = summarizeDomstats(stats);
    return { ...summary, lab: summary.name.startsWith(DOMAIN_PREFIX) };
  });
}

/** One line for a domain: `name  state, 2 vCPUs, 1 GiB, 1 NIC, 1 disk` (what is known). */
export function describeDomain(domain: ExistingDomain): string {
  const parts = [domain.state ?? 'unknown state'];
  if (domain.vcpus !== undefined) parts.push(`${domain.vcpus} vCPU${domain.vcpus === 1 ? '' : 's'}`);
  if (domain.memoryKiB !== undefined) parts.push(`${Math.round(domain.memoryKiB / 1024)} MiB`);
  parts.push(`${domain.nics} NIC${domain.nics === 1 ? '' : 's'}`, `${domain.disks} disk${domain.disks === 1 ? '' : 's'}`);
  return `${domain.name}  ${parts.join(', ')}${domain.lab ? ' (a lab VM)' : ''}`;
}
