/**
 * What a result record says of an adopted domain's guest: the domain's name, and its vCPUs and
 * memory as libvirt reports them (`virsh dominfo`) — the lab file does not describe an adopted
 * domain, so its defaults would be wrong there.
 */
import type { Virsh } from '../../infrastructure/libvirt/virsh';
import { parseDominfo } from '../../infrastructure/libvirt/virsh-parsers';
import type { AdoptedDomainSpec, VmSpec } from '../../lab/model';
import type { ResultMetadata } from '../results/record';

/** The guest part of a result's metadata for an adopted VM, from `virsh dominfo` (what it does not say is left out). */
export async function adoptedGuestMetadata(virsh: Virsh, vm: Pick<VmSpec, 'name'> & { readonly adopted: AdoptedDomainSpec }, signal?: AbortSignal): Promise<NonNullable<ResultMetadata['guest']>> {
  const info = parseDominfo((await virsh.runOnDomain(['dominfo', vm.adopted.domain], { signal })) ?? '');
  return {
    vm: vm.name,
    adoptedDomain: vm.adopted.domain,
    ...(info?.cpus === undefined ? {} : { cpus: info.cpus }),
    ...(info?.maxMemoryKiB === undefined ? {} : { memoryBytes: info.maxMemoryKiB * 1024 }),
  };
}
