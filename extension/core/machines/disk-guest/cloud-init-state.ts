/**
 * Where a disk guest's cloud-init stands, as plain data: off (`cloudInit: false`, or a blank
 * disk), no seed written yet (the VM never booted here), or the seed attached — and whether the
 * VM's record logs in with the lab's own key, which the boot waited on SSH with (boot-wait.ts).
 */
import { join } from 'node:path';
import type { VmSpec } from '../../lab/model';
import { BLANK_IMAGE, BUILTIN_IMAGE } from '../../lab/vocabulary';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { VmRecord } from '../vm/vm-record';
import { labGuestKeysDir, localLabDir, remoteLabDir } from './lab-guest-keys';
import { imageExists } from './qemu-img';

/** A disk guest's cloud-init. */
export type CloudInitState =
  | { readonly kind: 'disabled'; readonly why: 'blank-disk' | 'cloud-init-off' }
  | { readonly kind: 'no-seed'; readonly seed: string }
  | { readonly kind: 'seed-attached'; readonly seed: string; readonly labKeyLogin: boolean };

/** Whether `vm` is a disk guest: a disk image or a blank disk QEMU Lab describes (not the built-in guest, not an adopted domain). */
export function isDiskGuest(vm: VmSpec): boolean {
  return vm.image !== BUILTIN_IMAGE && vm.adopted === undefined;
}

/** Whether `vm` boots with a NoCloud seed (see diskGuestBoot). */
export function usesCloudInit(vm: VmSpec): boolean {
  return vm.image !== BLANK_IMAGE && vm.login?.kind === 'cloud-init';
}

/** Where the seed and the lab's client key of a VM are on its host. */
export interface CloudInitFiles {
  readonly seed: string;
  readonly labKey: string;
}

/**
 * The seed and lab key paths of `vm` on `system`: under the local state root here, under the
 * lab's folder in the remote user's cache there (where diskGuestBoot places them).
 */
export async function cloudInitFilesOn(system: HostSystem, localRoot: string, labPath: string, vmName: string): Promise<CloudInitFiles> {
  if (system.isLocal) {
    return { seed: join(localLabDir(localRoot, labPath), 'seeds', `${vmName}.iso`), labKey: join(labGuestKeysDir(localRoot, labPath), 'id_ed25519') };
  }
  const dir = await remoteLabDir(system, labPath);
  return { seed: join(dir, 'seeds', `${vmName}.iso`), labKey: join(dir, 'guest-ssh', 'id_ed25519') };
}

/** The state of `vm`'s cloud-init from what was found (pure). `record`: the VM's record while it runs. */
export function cloudInitStateOf(vm: VmSpec, files: CloudInitFiles, seedExists: boolean, record: Pick<VmRecord, 'ssh'> | undefined): CloudInitState {
  if (vm.image === BLANK_IMAGE) return { kind: 'disabled', why: 'blank-disk' };
  if (!usesCloudInit(vm)) return { kind: 'disabled', why: 'cloud-init-off' };
  if (!seedExists) return { kind: 'no-seed', seed: files.seed };
  return { kind: 'seed-attached', seed: files.seed, labKeyLogin: record?.ssh?.privateKey === files.labKey };
}

/** Reads `vm`'s cloud-init state on `system` (only whether its seed file exists; nothing is opened). */
export async function readCloudInitState(
  system: HostSystem,
  localRoot: string,
  labPath: string,
  vm: VmSpec,
  record: Pick<VmRecord, 'ssh'> | undefined,
  signal?: AbortSignal,
): Promise<CloudInitState> {
  if (!usesCloudInit(vm)) return cloudInitStateOf(vm, { seed: '', labKey: '' }, false, record);
  const files = await cloudInitFilesOn(system, localRoot, labPath, vm.name);
  return cloudInitStateOf(vm, files, await imageExists(system, files.seed, signal), record);
}
