/**
 * Boot step 2 for a disk image: the VM's own qcow2 overlay on it, made (or kept, or grown) in the
 * state directory on the VM's host; the plan then boots the overlay, never the image. A VM with
 * no image gets a blank disk there instead, and with a CD-ROM, what boots is settled here. A
 * migration destination takes the overlay the source runs on as it is (same host: the same file;
 * another host with shared storage: the source's path), or — when the disk is copied with the
 * migration — a new, empty overlay made here for the copy to fill (see migration/disk-copy.ts).
 */
import { dirname } from 'node:path';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { BootMedia } from '../../infrastructure/qemu/launch-plan';
import { DiskImageError } from '../disk-guest/errors';
import { prepareBlankDisk, prepareOverlay, vmDiskPath } from '../disk-guest/overlay';
import { createEmptyDisk, createOverlay, diskHasData, imageExists } from '../disk-guest/qemu-img';
import { activeFile, readLayers } from '../../snapshots/layer-record';
import type { BootRequest, DiskReceive } from './backend';

/**
 * The new overlay a disk copy fills, at the VM's disk path on this host. One already there is
 * never overwritten: it may be this VM's disk from an earlier run here.
 */
async function makeCopyTarget(system: HostSystem, path: string, receive: Extract<DiskReceive, { kind: 'copy' }>, request: BootRequest): Promise<string> {
  if (await imageExists(system, path, request.signal)) {
    throw new DiskImageError(`VM "${request.key.vmName}" already has a disk on host "${system.name}" (${path}); copying its disk there would overwrite it.`, {
      hint: `If it is left from an interrupted migration or an old run, delete it (rm ${path}) and migrate again; if it holds data you want, move it away first.`,
    });
  }
  await system.makePrivateDirectory(dirname(path));
  if (receive.base === undefined) await createEmptyDisk(system, path, receive.sizeBytes, request.signal);
  else await createOverlay(system, receive.base.file, receive.base.format, path, receive.sizeBytes, request.signal);
  return path;
}

/** The boot media of `request` at state root `root` on `system`: a disk image's overlay (or the blank disk) in place of the image. */
export async function prepareBootDisk(system: HostSystem, root: string, request: BootRequest): Promise<BootMedia> {
  const { boot, overlay } = request;
  if (boot.kind !== 'disk' || overlay === undefined) return boot;
  const path = vmDiskPath(root, request.key.labPath, request.key.host, request.key.vmName);
  if (request.incoming !== undefined) {
    const receive = overlay.receive;
    // The copy target is empty until the mirror fills it: what boots is judged as for a written disk.
    if (receive?.kind === 'copy') return withBootDevice({ ...boot, image: await makeCopyTarget(system, path, receive, request), format: 'qcow2' }, request, system, false);
    const opened = receive?.kind === 'shared' ? receive.path : path;
    if (!(await imageExists(system, opened, request.signal))) {
      throw new DiskImageError(`VM "${request.key.vmName}" has no disk on host "${system.name}" (${opened}) to receive a migration on.`, {
        hint: 'Migrate it with storage: copy (--storage copy), which copies its disk with the migration; storage: shared needs its disk at the same path on both hosts.',
      });
    }
    return withBootDevice({ ...boot, image: opened, format: 'qcow2' }, request, system, overlay.blank === true);
  }
  await system.makePrivateDirectory(dirname(path));
  if (overlay.blank === true) {
    if (overlay.sizeBytes === undefined) throw new DiskImageError(`VM "${request.key.vmName}" has a blank disk without a size.`, { hint: 'Add disk: 10G to the VM in the lab file.' });
    await prepareBlankDisk(system, { path, sizeBytes: overlay.sizeBytes, signal: request.signal });
  } else {
    await prepareOverlay(system, { base: boot.image, baseFormat: boot.format, overlay: path, sizeBytes: overlay.sizeBytes, signal: request.signal });
  }
  const media = await withBootDevice({ ...boot, image: path, format: 'qcow2' }, request, system, overlay.blank === true);
  // Disk-only snapshots put layers over the disk (snapshots/disk-layers.ts): the guest boots on the newest, where it last wrote.
  return { ...media, image: activeFile({ disk: path }, await readLayers(system, { disk: path })) };
}

/**
 * Settles what a VM with a CD-ROM boots: what the lab's `boot:` says, else the ISO while the
 * VM's disk is blank (a blank disk never written: the install has not happened), else the disk.
 * A disk made from an image is never blank.
 */
async function withBootDevice(media: Extract<BootMedia, { kind: 'disk' }>, request: BootRequest, system: HostSystem, blank: boolean): Promise<Extract<BootMedia, { kind: 'disk' }>> {
  if (media.cdrom === undefined) return media;
  const chosen = request.vm.boot ?? (blank && !(await diskHasData(system, media.image, request.signal)) ? 'cdrom' : 'disk');
  return { ...media, cdrom: { ...media.cdrom, boot: chosen } };
}
