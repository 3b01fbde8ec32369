import type { LibvirtDomainAccess } from './libvirt-backend';
import { join } from 'node:path';
import type { GuestArtifacts } from '../guest-image/build';
import { guestKernelCommandLine } from '../guest-image/kernel-command-line';
import { resolveAccel, type KvmStatus } from '../../infrastructure/hosts/probes/kvm';
import type { HostQemuSetting, QemuVersion } from '../../infrastructure/hosts/probes/qemu-binary';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { LabModel, NetworkSpec, VmSpec } from '../../lab/model';
import { BUILTIN_IMAGE, USER_NETWORK } from '../../lab/vocabulary';
import { defaultGateway } from '../../infrastructure/network/tap-network';
import type { BootMedia } from '../../infrastructure/qemu/launch-plan';
import { diskGuestBoot } from '../disk-guest/disk-guest-boot';
import type { BootRequest, HostVmBackend, VmInstance, VmKey } from './backend';
import { resolveAdoptedBoot } from './adopted-boot';
import { resolveVm } from './resolve-vm';

/** What `up` needs from its surroundings; passed in, so the CLI, the editor and tests share it. */
export interface UpDependencies {
  readonly backend: HostVmBackend;
  /** The built-in lab guest, built (or taken from the cache) on this machine on first use. */
  readonly guest: () => Promise<GuestArtifacts>;
  /** The QEMU of a host: `setting` is the lab's `hosts.NAME.qemu` for it (absent: the system QEMU). */
  readonly qemu: (system: HostSystem, setting: HostQemuSetting | undefined) => Promise<{ readonly binary: string; readonly version: QemuVersion }>;
  /** Whether KVM is usable on a host. */
  readonly kvm: (system: HostSystem) => Promise<KvmStatus>;
  /** Where this machine's state and caches are (QEMU_LAB_STATE_DIR, QEMU_LAB_CACHE_DIR, …). */
  readonly env: NodeJS.ProcessEnv;
  /** The libvirt backend's domains, when the lab has libvirt hosts (a migration between two goes through libvirt). */
  readonly libvirt?: LibvirtDomainAccess;
}

/** The outcome of `up`. */
export interface UpResult {
  readonly instance: VmInstance;
  readonly alreadyRunning: boolean;
}

/**
 * The lab guest's files on the VM's host: on this machine they are used where they are; a
 * remote host gets a copy (sent once: files with the same SHA-256 are skipped).
 */
async function placeGuest(system: HostSystem, guest: GuestArtifacts): Promise<GuestArtifacts> {
  if (system.isLocal) return guest;
  const directory = join(await system.home(), '.cache', 'qemu-lab', 'guest', guest.hash);
  const [kernel, vmlinux, initrd, sshPrivateKey, knownHostsFile] = await Promise.all([
    system.place(guest.kernel, directory),
    guest.vmlinux === undefined ? Promise.resolve(undefined) : system.place(guest.vmlinux, directory),
    system.place(guest.initrd, directory),
    system.place(guest.sshPrivateKey, directory, 0o600),
    system.place(guest.knownHostsFile, directory),
  ]);
  return { ...guest, kernel, vmlinux, initrd, sshPrivateKey, knownHostsFile };
}

/** The built-in guest's address and gateway on a bridge network; nothing on user networking (QEMU's defaults). */
function guestNetworkOptions(vm: VmSpec, network: NetworkSpec | undefined): { ip?: string; gateway?: string } {
  if (network === undefined || vm.address === undefined) return {};
  const gateway = vm.gateway ?? defaultGateway(network);
  return gateway === undefined ? { ip: vm.address } : { ip: vm.address, gateway };
}

/** The lab's spec of the bridge network a VM is on; undefined on user networking. */
export function networkOf(lab: LabModel, vm: VmSpec): NetworkSpec | undefined {
  return vm.network === USER_NETWORK ? undefined : lab.networks.get(vm.network);
}

/** What a VM boots from on a host, and how to know and reach it once up. */
export interface GuestBoot {
  readonly boot: BootMedia;
  readonly guestSsh: BootRequest['guestSsh'];
  readonly readyMarker: string | undefined;
  /** A disk image boots on the VM's own overlay. */
  readonly overlay?: BootRequest['overlay'];
}

/**
 * The boot media of a VM on a host: for the built-in lab guest its kernel and initramfs (placed
 * on that host) with its SSH keys and ready marker; otherwise the VM's disk image (booted on its
 * own overlay) with its cloud-init seed and login (see disk-guest/disk-guest-boot.ts).
 */
export async function guestBootFor(
  vm: VmSpec,
  labPath: string,
  system: HostSystem,
  deps: Pick<UpDependencies, 'guest' | 'env'>,
  network: NetworkSpec | undefined = undefined,
): Promise<GuestBoot> {
  if (vm.image !== BUILTIN_IMAGE) {
    const disk = await diskGuestBoot(vm, labPath, system, network, { env: deps.env });
    return { boot: disk.boot, guestSsh: disk.guestSsh, readyMarker: undefined, overlay: disk.overlay };
  }
  const guest = await placeGuest(system, await deps.guest());
  return {
    boot: {
      kind: 'kernel',
      // The ELF vmlinux boots through QEMU's PVH entry, which skips the kernel's real-mode setup
      // and its record of the VGA text mode: without it the kernel has no console on the screen.
      // A VM with a screen boots the bzImage (its decompression costs a few seconds under TCG).
      kernel: vm.vnc ? guest.kernel : (guest.vmlinux ?? guest.kernel),
      initrd: guest.initrd,
      append: guestKernelCommandLine({ hostname: vm.name, ...guestNetworkOptions(vm, network) }),
    },
    guestSsh: { privateKey: guest.sshPrivateKey, knownHostsFile: guest.knownHostsFile, hostKeyAlias: guest.hostKeyAlias, user: 'root' },
    readyMarker: guest.readyMarker,
  };
}

/** How `up` runs: progress, cancellation, a time bound, and parts another feature adds to the plan (COLO's disk). */
export type UpOptions = Pick<BootRequest, 'onStage' | 'signal' | 'timeoutMs' | 'added'>;

/**
 * The resolve step of a boot: the lab's VM with what its host decides — the QEMU binary there,
 * the accelerator in effect, what the guest boots from — as a request the backend boots.
 */
export async function resolveBoot(lab: LabModel, vm: VmSpec, key: VmKey, deps: UpDependencies, options: UpOptions = {}): Promise<BootRequest> {
  const { adopted } = vm;
  if (adopted !== undefined) return resolveAdoptedBoot({ ...vm, adopted }, lab.path, key, deps, options);
  const system = deps.backend.systemOf(key);
  const { binary } = await deps.qemu(system, lab.hosts.get(key.host)?.qemu);
  const accel = resolveAccel(vm.accel, await deps.kvm(system), vm.host);
  const network = networkOf(lab, vm);
  const { boot, guestSsh, readyMarker, overlay } = await guestBootFor(vm, lab.path, system, deps, network);
  return { key, vm, network, qemuBinary: binary, accel, boot, guestSsh, readyMarker, ...(overlay === undefined ? {} : { overlay }), ...options };
}

/**
 * Boots a VM of a lab file on its host (this machine or one reached over SSH) and waits until
 * it is usable (SSH answers, for the built-in guest). A VM that already runs is returned as it
 * is, never started twice.
 */
export async function upVm(lab: LabModel, vmName: string, deps: UpDependencies, options: UpOptions = {}): Promise<UpResult> {
  const vm = resolveVm(lab, vmName);
  const key: VmKey = { labPath: lab.path, vmName, host: vm.host };
  const existing = await deps.backend.find(key);
  if (existing?.alive) return { instance: existing, alreadyRunning: true };
  return deps.backend.boot(await resolveBoot(lab, vm, key, deps, options));
}
