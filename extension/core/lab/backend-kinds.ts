/**
 * Which migrations the hosts' kinds allow. A libvirt domain migrates only through libvirt (its
 * domain XML, its migration protocol, its rollback), so a libvirt host and a host where QEMU Lab
 * runs QEMU directly never migrate to each other; two libvirt hosts do, through libvirt. Pure:
 * the lab validator and `migrate` share it.
 */
import type { HostSpec } from './model';

/** Why a VM cannot migrate between hosts of these kinds, as a sentence; undefined when it can. */
export function backendKindProblem(vm: string, from: HostSpec | undefined, to: HostSpec | undefined): { readonly problem: string; readonly hint: string } | undefined {
  const fromLibvirt = from?.kind === 'libvirt';
  const toLibvirt = to?.kind === 'libvirt';
  // Two libvirt hosts: libvirt migrates its domain itself (migration/libvirt/migrate-libvirt.ts).
  if (fromLibvirt === toLibvirt) return undefined;
  const libvirtHost = fromLibvirt ? from.name : (to?.name ?? '');
  const directHost = fromLibvirt ? (to?.name ?? '') : (from?.name ?? '');
  return {
    problem: `VM "${vm}" cannot migrate between libvirt host "${libvirtHost}" and "${directHost}", where QEMU Lab runs QEMU itself: libvirt must own both ends of a migration (its domain definition, its migration protocol and its rollback)`,
    hint: 'Migrate between two hosts of the same kind.',
  };
}
