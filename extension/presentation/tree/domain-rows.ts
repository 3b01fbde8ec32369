/**
 * The rows of a libvirt host's own domains in the "Hosts and VMs" tree, as plain data: the
 * domains the user made there (virt-manager, virsh, …), read-only, after the lab's VMs; or one
 * row saying why they could not be read. No `vscode` here, so it is unit-tested.
 */
import type { ExistingDomain } from '../../core/infrastructure/libvirt/domains';

/** A domain of a libvirt host that is not a lab VM. */
export interface DomainNode {
  readonly kind: 'domain';
  readonly host: string;
  readonly domain: ExistingDomain;
}

/** Why a libvirt host's domains are not listed. */
export interface DomainNoteNode {
  readonly kind: 'domain-note';
  readonly host: string;
  readonly reason: string;
}

/** A row of a libvirt host's own domains. */
export type DomainRow = DomainNode | DomainNoteNode;

/** The user's own domains of `host` (the lab's show as VM rows), or why they could not be read. */
export function domainRows(host: string, read: { readonly domains: readonly ExistingDomain[] } | { readonly error: string }): DomainRow[] {
  if ('error' in read) return [{ kind: 'domain-note', host, reason: read.error }];
  return read.domains.filter((domain) => !domain.lab).map((domain) => ({ kind: 'domain', host, domain }));
}

/**
 * The rows without the domains a lab VM on that host adopts (`domain:`): those show as the lab's
 * VM rows, so listing them again as the user's own would show one domain twice.
 */
export function withoutAdopted(rows: readonly DomainRow[], adopted: ReadonlySet<string>): DomainRow[] {
  return rows.filter((row) => row.kind !== 'domain' || !adopted.has(row.domain.name));
}

/** `running · 2 vCPUs · 1024 MiB · 1 NIC · 1 disk · not in the lab` (what libvirt reports). */
export function domainDescription(domain: ExistingDomain): string {
  const parts = [domain.state ?? 'unknown state'];
  if (domain.vcpus !== undefined) parts.push(`${domain.vcpus} vCPU${domain.vcpus === 1 ? '' : 's'}`);
  if (domain.memoryKiB !== undefined) parts.push(`${Math.round(domain.memoryKiB / 1024)} MiB`);
  parts.push(`${domain.nics} NIC${domain.nics === 1 ? '' : 's'}`, `${domain.disks} disk${domain.disks === 1 ? '' : 's'}`, 'not in the lab');
  return parts.join(' · ');
}
