/**
 * The resolve step of `up` for a VM that adopts a libvirt domain: nothing of the host's QEMU or
 * KVM is probed and no guest is built or placed — the domain's own definition decides all of
 * that. What the request carries is where and how to log in: the user's key (`identity:`) and the
 * VM's own known_hosts, learnt at the first login (the guest's host key is not the lab's).
 */
import { manualGuestSsh } from '../disk-guest/manual-login';
import type { AdoptedDomainSpec, VmSpec } from '../../lab/model';
import type { BootRequest, VmKey } from './backend';
import type { UpDependencies, UpOptions } from './up';

/**
 * A boot request for an adopted domain. Its media, binary and accelerator are placeholders the
 * libvirt backend never reads for an adopted VM (it starts the domain as libvirt defines it and
 * records the accelerator from the domain's XML).
 */
export async function resolveAdoptedBoot(
  vm: VmSpec & { readonly adopted: AdoptedDomainSpec },
  labPath: string,
  key: VmKey,
  deps: Pick<UpDependencies, 'backend' | 'env'>,
  options: UpOptions = {},
): Promise<BootRequest> {
  const { adopted } = vm;
  const system = deps.backend.systemOf(key);
  const guestSsh =
    adopted.identity === undefined || adopted.address === undefined
      ? undefined
      : await manualGuestSsh(vm, { user: adopted.user, identity: adopted.identity }, labPath, system, deps.env);
  return {
    key,
    vm,
    qemuBinary: 'libvirt',
    accel: { accel: 'tcg', why: "the adopted domain's own definition" },
    boot: { kind: 'kernel', kernel: '', initrd: '', append: '' },
    guestSsh,
    readyMarker: undefined,
    ...options,
  };
}
