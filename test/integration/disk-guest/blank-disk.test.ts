import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateTrustError } from '../../../extension/core/infrastructure/files/private-state';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import type { BootMedia } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { diskGuestBoot } from '../../../extension/core/machines/disk-guest/disk-guest-boot';
import { DiskImageError } from '../../../extension/core/machines/disk-guest/errors';
import { prepareBlankDisk, vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { diskHasData, imageInfo } from '../../../extension/core/machines/disk-guest/qemu-img';
import type { BootRequest } from '../../../extension/core/machines/vm/backend';
import { prepareBootDisk } from '../../../extension/core/machines/vm/boot-disk';
import type { VmSpec } from '../../../extension/core/lab/model';
import { writeLayers } from '../../../extension/core/snapshots/layer-record';
import { vmSpec } from '../../support/vm-spec';

// A blank disk to install on, with real qemu-img (qemu-io writing as an installer would): made
// once at the size asked, kept across boots, never made again over what was installed; and what
// a VM with a CD-ROM boots when the lab does not say; a disk with disk-only snapshot layers boots
// on the newest. No VM boots here.
const root = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'blank-disk-test');
const state = join(root, 'state');
const lab = join(root, 'qemu-lab.yaml');
const iso = join(root, 'installer.iso');
const system = new LocalHostSystem();
const MIB = 1024 * 1024;
/** The private key a VM without cloud-init names (`identity:`): it must exist and be private; no guest uses it here. */
const key = join(root, 'id_login');

async function failure(promise: Promise<unknown>): Promise<DiskImageError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DiskImageError);
  return error as DiskImageError;
}

/** The disk step of one boot of `vm`, as `up` runs it: resolve (the ISO must exist), then the disk in the state. */
async function diskStep(vm: VmSpec): Promise<Extract<BootMedia, { kind: 'disk' }>> {
  const resolved = await diskGuestBoot(vm, lab, system, undefined, { env: { QEMU_LAB_STATE_DIR: state } });
  const request: BootRequest = {
    key: { labPath: lab, vmName: vm.name, host: 'local' },
    vm,
    qemuBinary: 'qemu-system-x86_64',
    accel: { accel: 'tcg', why: 'test' },
    boot: resolved.boot,
    guestSsh: resolved.guestSsh,
    overlay: resolved.overlay,
    readyMarker: undefined,
  };
  const media = await prepareBootDisk(system, state, request);
  if (media.kind !== 'disk') throw new Error('not a disk');
  return media;
}

beforeAll(() => {
  mkdirSync(root, { recursive: true });
  writeFileSync(iso, Buffer.alloc(MIB));
  writeFileSync(key, 'not a real key\n', { mode: 0o600 });
});

describe('a blank disk and its boot order (real qemu-img)', () => {
  const vm = vmSpec({ name: 'inst', image: 'blank', diskBytes: 256 * MIB, cdrom: 'installer.iso' });
  const disk = vmDiskPath(state, lab, 'local', 'inst');

  it('the first boot makes a blank qcow2 of disk: in the state and boots the ISO (a relative cdrom: is from the lab folder)', async () => {
    const media = await diskStep(vm);
    expect(media).toEqual({ kind: 'disk', image: disk, format: 'qcow2', cdrom: { iso, boot: 'cdrom' } });
    expect(await imageInfo(system, disk, { format: 'qcow2' })).toEqual({ format: 'qcow2', virtualSize: 256 * MIB, backingFile: undefined });
    expect(await diskHasData(system, disk)).toBe(false);
    // Nothing was installed: the next boot boots the ISO again, on the same disk.
    const inode = statSync(disk).ino;
    expect((await diskStep(vm)).cdrom?.boot).toBe('cdrom');
    expect(statSync(disk).ino).toBe(inode);
  });

  it('once something is installed the disk is kept as it is and boots by default; boot: says otherwise when written', async () => {
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1M', disk], { stdio: 'ignore' });
    expect(await diskHasData(system, disk)).toBe(true);
    expect((await diskStep(vm)).cdrom?.boot).toBe('disk');
    expect((await diskStep({ ...vm, boot: 'cdrom' })).cdrom?.boot).toBe('cdrom');
    expect(execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0x5a 0 1M', disk], { encoding: 'utf8' })).not.toMatch(/Pattern verification failed/);
  });

  it('a bigger disk: grows it; a smaller one, or an image where the blank disk was, is refused with what to do', async () => {
    await diskStep({ ...vm, diskBytes: 512 * MIB });
    expect((await imageInfo(system, disk, { format: 'qcow2' })).virtualSize).toBe(512 * MIB);
    const shrink = await failure(diskStep({ ...vm, diskBytes: 128 * MIB }));
    expect(shrink.message).toMatch(/never shrinks/);
    const base = join(root, 'base.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    const overlay = join(root, 'overlay.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', overlay]);
    const swapped = await failure(prepareBlankDisk(system, { path: overlay, sizeBytes: 64 * MIB }));
    expect(swapped.message).toMatch(/was made from the image .*base\.qcow2, not as a blank disk/);
    expect(swapped.hint).toMatch(/delete/);
  });

  it('a disk image with a CD-ROM boots its disk unless boot: cdrom', async () => {
    const base = join(root, 'distro.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    const withImage = vmSpec({ name: 'img', image: base, cdrom: iso, login: { kind: 'manual', user: 'u', identity: key } });
    expect((await diskStep(withImage)).cdrom).toEqual({ iso, boot: 'disk' });
    expect((await diskStep({ ...withImage, boot: 'cdrom' })).cdrom).toEqual({ iso, boot: 'cdrom' });
  });

  it('a disk with disk-only snapshot layers boots on its newest layer; a record naming a file outside its folder is refused', async () => {
    const base = join(root, 'layered-base.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    const layered = vmSpec({ name: 'lay', image: base, login: { kind: 'manual', user: 'u', identity: key } });
    const disk = vmDiskPath(state, lab, 'local', 'lay');
    expect((await diskStep(layered)).image).toBe(disk);
    const layers = [
      { name: 's1', file: 'layer-s1.qcow2', created: '2026-12-03T04:00:00.000Z' },
      { name: 's2', file: 'layer-s2.qcow2', created: '2026-12-03T05:00:00.000Z' },
    ];
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', disk, '-F', 'qcow2', join(dirname(disk), 'layer-s1.qcow2')]);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', join(dirname(disk), 'layer-s1.qcow2'), '-F', 'qcow2', join(dirname(disk), 'layer-s2.qcow2')]);
    await writeLayers(system, { disk }, layers);
    expect((await diskStep(layered)).image).toBe(join(dirname(disk), 'layer-s2.qcow2'));
    writeFileSync(join(dirname(disk), 'layers.json'), JSON.stringify({ version: 1, layers: [{ ...layers[0], file: '../../../../etc/passwd' }] }));
    const refused: unknown = await diskStep(layered).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(StateTrustError);
    expect((refused as StateTrustError).message).toMatch(/layers\[0\]\.file is not layer-s1\.qcow2/);
  });

  it('a missing ISO is refused before anything is made, saying what to write', async () => {
    const missing = await failure(diskStep({ ...vm, name: 'other', cdrom: 'nope.iso' }));
    expect(missing.message).toBe(`VM "other": the ISO ${join(root, 'nope.iso')} of cdrom: does not exist.`);
    expect(missing.hint).toMatch(/Write the path of an ISO image in cdrom:/);
    expect(() => statSync(vmDiskPath(state, lab, 'local', 'other'))).toThrow();
  });
});
