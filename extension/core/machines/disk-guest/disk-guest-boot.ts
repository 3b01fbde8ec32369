/**
 * What a disk guest boots from and how QEMU Lab logs in, resolved for one host: the lab's image
 * (its absolute path there), the VM's overlay size, the cloud-init seed with the lab's keys
 * (made on this machine, placed on a remote host) and the SSH login the record keeps.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { NetworkSpec, VmSpec } from '../../lab/model';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { macAddress } from '../../infrastructure/network/names';
import { defaultGateway } from '../../infrastructure/network/tap-network';
import { diskFormatOf } from '../../infrastructure/qemu/plan-for-vm';
import { QEMU_DEFAULT_MAC, type BootMedia, type PlanCdrom } from '../../infrastructure/qemu/launch-plan';
import { BLANK_IMAGE } from '../../lab/vocabulary';
import type { BootRequest } from '../vm/backend';
import { stateRoot } from '../vm/run-dir';
import { seedFiles, type SeedNetwork } from './cloud-init-seed';
import { DiskImageError } from './errors';
import { labGuestKeys, localLabDir, remoteLabDir } from './lab-guest-keys';
import { manualGuestSsh } from './manual-login';
import { imageExists } from './qemu-img';
import { writeSeedIso } from './seed-iso';

/** A disk guest's boot: media (the base image and seed), its overlay, its login. */
export interface DiskGuestBoot {
  readonly boot: Extract<BootMedia, { kind: 'disk' }>;
  readonly overlay: NonNullable<BootRequest['overlay']>;
  readonly guestSsh: BootRequest['guestSsh'];
}

/**
 * The absolute path on the VM's host of a file the lab names (`image:`, `cdrom:`): a relative
 * path is taken from the lab file's folder, which only means something on this machine.
 */
function labFilePath(vm: VmSpec, key: 'image' | 'cdrom', path: string, labPath: string, system: HostSystem): string {
  if (isAbsolute(path)) return path;
  if (!system.isLocal) {
    throw new DiskImageError(`VM "${vm.name}" runs on host "${system.name}", so its ${key} path ${path} must be absolute (a path on that host).`, {
      hint: `Write the full path of the ${key === 'image' ? 'image' : 'ISO'} on that host in ${key}:.`,
    });
  }
  return resolve(dirname(labPath), path);
}

/** The image's absolute path on the VM's host (see {@link labFilePath}). */
export function diskImagePath(vm: VmSpec, labPath: string, system: HostSystem): string {
  return labFilePath(vm, 'image', vm.image, labPath, system);
}

/**
 * The VM's CD-ROM on its host, when it has one: the ISO must be there. What boots is settled
 * per boot by the disk step (a blank disk boots the ISO unless `boot:` says otherwise); until
 * then it is what the lab says, else the disk.
 */
async function cdromOf(vm: VmSpec, labPath: string, system: HostSystem, signal?: AbortSignal): Promise<PlanCdrom | undefined> {
  if (vm.cdrom === undefined) return undefined;
  const iso = labFilePath(vm, 'cdrom', vm.cdrom, labPath, system);
  if (!(await imageExists(system, iso, signal))) {
    const where = system.isLocal ? '' : ` on host "${system.name}"`;
    throw new DiskImageError(`VM "${vm.name}": the ISO ${iso} of cdrom: does not exist${where}.`, {
      hint: "Write the path of an ISO image in cdrom: (a relative path is taken from the lab file's folder), or copy the ISO there.",
    });
  }
  return { iso, boot: vm.boot ?? 'disk' };
}

/** A blank disk's boot: no image, a qcow2 of `disk:` made in the VM's state by the disk step; no cloud-init. */
function blankDiskBoot(vm: VmSpec, cdrom: PlanCdrom | undefined, guestSsh: DiskGuestBoot['guestSsh']): DiskGuestBoot {
  if (vm.diskBytes === undefined) {
    throw new DiskImageError(`VM "${vm.name}" has a blank disk without a size.`, { hint: 'Add disk: 10G (the size of the disk to install on) to the VM in the lab file.' });
  }
  return {
    boot: { kind: 'disk', image: BLANK_IMAGE, format: 'qcow2', ...(cdrom === undefined ? {} : { cdrom }) },
    overlay: { sizeBytes: vm.diskBytes, blank: true },
    guestSsh,
  };
}

/** How cloud-init should set up the guest's NIC: DHCP on user networking, the VM's address on a bridge network. */
export function seedNetwork(vm: VmSpec, labPath: string, network: NetworkSpec | undefined): SeedNetwork {
  if (network === undefined) return { kind: 'dhcp', mac: QEMU_DEFAULT_MAC };
  const mac = macAddress(labPath, vm.name);
  if (vm.address === undefined) return { kind: 'dhcp', mac };
  return { kind: 'static', mac, address: vm.address, gateway: vm.gateway ?? defaultGateway(network) };
}

/**
 * Resolves a disk guest's boot on `system`. With cloud-init (the default) the lab's keys are
 * made if needed and the VM's seed written; a guest with neither cloud-init nor a login boots
 * without SSH (the record says so; ssh and benchmarks then refuse with what to add).
 */
export async function diskGuestBoot(
  vm: VmSpec,
  labPath: string,
  system: HostSystem,
  network: NetworkSpec | undefined,
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<DiskGuestBoot> {
  const cdrom = await cdromOf(vm, labPath, system, options.signal);
  const withCdrom = cdrom === undefined ? {} : { cdrom };
  const login = vm.login;
  // No cloud-init: with `user:` + `identity:` QEMU Lab logs in with the user's key; without, no SSH.
  const manualSsh = login?.kind === 'manual' ? await manualGuestSsh(vm, login, labPath, system, options.env) : undefined;
  // A blank disk has a login once a system is installed on it (a boot of the ISO drops it: boot.ts).
  if (vm.image === BLANK_IMAGE) return blankDiskBoot(vm, cdrom, manualSsh);
  const image = diskImagePath(vm, labPath, system);
  const overlay = { sizeBytes: vm.diskBytes };
  if (login === undefined || login.kind === 'manual') return { boot: { kind: 'disk', image, format: diskFormatOf(image), ...withCdrom }, overlay, guestSsh: manualSsh };
  const keys = await labGuestKeys(labPath, options.env);
  const seedsDir = join(localLabDir(stateRoot(options.env), labPath), 'seeds');
  await mkdir(seedsDir, { recursive: true, mode: 0o700 });
  const seedLocal = join(seedsDir, `${vm.name}.iso`);
  const files = seedFiles({
    hostname: vm.name,
    user: login.user,
    authorizedKey: keys.authorizedKey,
    hostPrivateKey: keys.hostPrivateKey,
    hostPublicKey: keys.hostPublicKey,
    network: seedNetwork(vm, labPath, network),
  });
  await writeSeedIso(seedLocal, files, options.signal);
  let seed = seedLocal;
  let privateKey = keys.privateKey;
  let knownHostsFile = keys.knownHostsFile;
  if (!system.isLocal) {
    const dir = await remoteLabDir(system, labPath);
    [seed, privateKey, knownHostsFile] = await Promise.all([
      system.place(seedLocal, join(dir, 'seeds'), 0o600),
      system.place(keys.privateKey, join(dir, 'guest-ssh'), 0o600),
      system.place(keys.knownHostsFile, join(dir, 'guest-ssh'), 0o600),
    ]);
  }
  return {
    boot: { kind: 'disk', image, format: diskFormatOf(image), seed, ...withCdrom },
    overlay,
    guestSsh: { privateKey, knownHostsFile, hostKeyAlias: keys.hostKeyAlias, user: login.user },
  };
}
