/**
 * A disk guest's own disk: a qcow2 overlay in its state on its host, backed by the lab's image. The
 * guest writes only to the overlay, so the image is never changed and any number of VMs can share
 * it. The overlay outlives the VM's QEMU (it is the VM's disk); `disk:` grows it, never shrinks it.
 */
import { isAbsolute, join } from 'node:path';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { DiskFormat } from '../../infrastructure/qemu/launch-plan';
import { DiskImageError } from './errors';
import { labHash } from './lab-guest-keys';
import { createBlankDisk, createOverlay, growImage, imageExists, imageInfo } from './qemu-img';

/**
 * The overlay of a VM on a host: `<state>/disks/<lab hash>-<vm>[@host]/disk.qcow2`. Not in the
 * run directory: the destination of a same-host migration runs in a second run directory, on
 * the same disk.
 */
export function vmDiskPath(root: string, labPath: string, host: string, vmName: string): string {
  const name = `${labHash(labPath)}-${vmName}`;
  return join(root, 'disks', host === 'local' ? name : `${name}@${host}`, 'disk.qcow2');
}

/** What {@link prepareOverlay} needs: the base image (absolute, on the VM's host) and the size asked for. */
export interface OverlayRequest {
  readonly base: string;
  /** The format the base's name says (see diskFormatOf). */
  readonly baseFormat: DiskFormat;
  readonly overlay: string;
  /** `disk:` of the lab file, in bytes; undefined keeps the base's size. */
  readonly sizeBytes: number | undefined;
  readonly signal?: AbortSignal;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
}

/**
 * Makes (or keeps) the VM's overlay on `base` and grows it to `sizeBytes`. An overlay left by an
 * earlier run is kept: it is the VM's disk. One made from another image is refused rather than
 * replaced (replacing would lose the guest's files).
 */
export async function prepareOverlay(system: HostSystem, request: OverlayRequest): Promise<void> {
  const { base, overlay, sizeBytes, signal } = request;
  if (!isAbsolute(base)) {
    throw new DiskImageError(`The disk image path ${base} is not absolute.`, { hint: 'Write the image\'s full path in image: (relative paths work for VMs on this machine only).' });
  }
  const baseInfo = await imageInfo(system, base, { format: request.baseFormat, forceShare: true, signal });
  if (sizeBytes !== undefined && sizeBytes < baseInfo.virtualSize) {
    throw new DiskImageError(`disk: ${gib(sizeBytes)} is smaller than the image ${base} (${gib(baseInfo.virtualSize)}).`, {
      hint: `Write at least ${gib(baseInfo.virtualSize)}, or remove disk: to keep the image's size.`,
    });
  }
  if (!(await imageExists(system, overlay, signal))) {
    await createOverlay(system, base, request.baseFormat, overlay, sizeBytes, signal);
    return;
  }
  const current = await imageInfo(system, overlay, { format: 'qcow2', signal });
  if (current.backingFile !== base) {
    throw new DiskImageError(`This VM's disk ${overlay} was made from ${current.backingFile ?? 'no image'}, not from ${base}.`, {
      hint: `To start over from ${base}, delete ${overlay} (the guest's changes are lost); or set image: back.`,
    });
  }
  if (sizeBytes !== undefined && sizeBytes > current.virtualSize) {
    await growImage(system, overlay, sizeBytes, signal);
  } else if (sizeBytes !== undefined && sizeBytes < current.virtualSize) {
    throw new DiskImageError(`disk: ${gib(sizeBytes)} is smaller than this VM's disk (${gib(current.virtualSize)}); a disk never shrinks.`, {
      hint: `Write disk: ${gib(current.virtualSize)} or more; or delete ${overlay} to start over from the image.`,
    });
  }
}

/** What {@link prepareBlankDisk} needs: where the VM's disk is, and `disk:` of the lab file. */
export interface BlankDiskRequest {
  readonly path: string;
  readonly sizeBytes: number;
  readonly signal?: AbortSignal;
}

/**
 * Makes a VM's blank disk once (a qcow2 of `sizeBytes`, nothing on it) and keeps it across
 * boots: after the first boot it holds whatever was installed, so it is never made again. A
 * bigger `disk:` grows it; a smaller one, or a disk that is an overlay of an image (the VM had
 * `image:` before), is refused rather than replaced, which would lose the guest's files.
 */
export async function prepareBlankDisk(system: HostSystem, request: BlankDiskRequest): Promise<void> {
  const { path, sizeBytes, signal } = request;
  if (!(await imageExists(system, path, signal))) {
    await createBlankDisk(system, path, sizeBytes, signal);
    return;
  }
  const current = await imageInfo(system, path, { format: 'qcow2', signal });
  if (current.backingFile !== undefined) {
    throw new DiskImageError(`This VM's disk ${path} was made from the image ${current.backingFile}, not as a blank disk.`, {
      hint: `To start over with a blank disk, delete ${path} (the guest's files are lost); or set image: back to ${current.backingFile}.`,
    });
  }
  if (sizeBytes > current.virtualSize) {
    await growImage(system, path, sizeBytes, signal);
  } else if (sizeBytes < current.virtualSize) {
    throw new DiskImageError(`disk: ${gib(sizeBytes)} is smaller than this VM's disk (${gib(current.virtualSize)}); a disk never shrinks.`, {
      hint: `Write disk: ${gib(current.virtualSize)} or more; or delete ${path} to start over with a blank disk.`,
    });
  }
}
