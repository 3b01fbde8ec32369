/**
 * Which migrations the hosts' kinds allow. A libvirt domain migrates only through libvirt (its
 * domain XML, its migration protocol, its rollback), so a libvirt host and a host where QEMU Lab
 * runs QEMU directly never migrate to each other. Pure: the lab validator and `migrate` share it.
 */
import type { HostSpec } from './model';

/** Why a VM cannot migrate between hosts of these kinds, as a sentence; undefined when it can. */
export function backendKindProblem(vm: string, from: HostSpec | undefined, to: HostSpec | undefined): { readonly problem: string; readonly hint: string } | undefined {
  const fromLibvirt = from?.kind === 'libvirt';
  const toLibvirt = to?.kind === 'libvirt';
  if (!fromLibvirt && !toLibvirt) return undefined;
  if (fromLibvirt && toLibvirt) {
    return {
      problem: `VM "${vm}" runs on libvirt host "${from.name}": migration between libvirt hosts (virsh migrate --live --p2p) is not built yet`,
      hint: 'Run the VM on local or SSH hosts to migrate it with QEMU Lab, or use virsh migrate yourself.',
    };
  }
  const libvirtHost = fromLibvirt ? from.name : (to?.name ?? '');
  const directHost = fromLibvirt ? (to?.name ?? '') : (from?.name ?? '');
  return {
    problem: `VM "${vm}" cannot migrate between libvirt host "${libvirtHost}" and "${directHost}", where QEMU Lab runs QEMU itself: libvirt must own both ends of a migration (its domain definition, its migration protocol and its rollback)`,
    hint: 'Migrate between two hosts of the same kind.',
  };
}
