/**
 * Begin's decision for a disk guest moving to another host: which disk the source runs on, and
 * how it gets there — `shared` (the destination must see that very file) or `copy` (a new overlay
 * there over the same base image when the destination has it, else the whole disk). Nothing is
 * started here; what cannot work is refused with what to do.
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { DiskImageError } from '../machines/disk-guest/errors';
import { imageExists, imageInfo, type ImageInfo } from '../machines/disk-guest/qemu-img';
import type { DiskMove } from './context';
import { guestDiskOf, type DiskStorage, type QmpExecutor } from './disk-copy';
import { MigrationError } from './errors';
import { isLayerFile } from '../snapshots/layer-record';

/** The hosts and the running source a decision looks at. */
export interface DiskMoveScene {
  readonly vmName: string;
  readonly storage: DiskStorage;
  readonly source: { readonly host: string; readonly system: HostSystem; readonly link: QmpExecutor };
  readonly destination: { readonly host: string; readonly system: HostSystem };
  readonly note: (text: string) => void;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** The base image on the destination, or undefined when there is none at that path. */
async function baseOnDestination(system: HostSystem, file: string, format: string): Promise<ImageInfo | undefined> {
  if (!(await imageExists(system, file))) return undefined;
  return imageInfo(system, file, { format: format === 'qcow2' ? 'qcow2' : 'raw', forceShare: true });
}

/** Decides how the disk of a running disk guest goes to another host (see the file comment). */
export async function decideDiskMove(scene: DiskMoveScene): Promise<DiskMove> {
  const { vmName, source, destination } = scene;
  const disk = guestDiskOf(await source.link.execute('query-block', undefined, { idempotent: true }));
  if (disk === undefined) {
    throw new MigrationError(`VM "${vmName}" runs without a writable disk QEMU Lab knows (query-block lists none), so it cannot tell what to move.`, {
      phase: 'begin',
      hint: 'Restart the VM with qemu-lab down and up, then migrate it.',
    });
  }
  // A disk-only snapshot's layer on top: the copy (or the shared file) would be the layer alone,
  // and the destination would lose the disk under it and the record of its snapshots.
  if (isLayerFile(disk.file)) {
    throw new MigrationError(`VM "${vmName}" writes to a disk-only snapshot's layer (${disk.file}), which does not move to another host with it.`, {
      phase: 'begin',
      hint: `Merge the layers into its disk first: qemu-lab snapshot commit ${vmName} (once per disk-only snapshot), then migrate it.`,
    });
  }
  if (scene.storage === 'shared') {
    const seen = await destination.system.run('test', ['-r', disk.file, '-a', '-w', disk.file], { check: false });
    if (seen.exitCode === 0) return { storage: 'shared', source: disk };
    throw new MigrationError(`storage: shared, but host "${destination.host}" does not see VM "${vmName}"'s disk ${disk.file} (or cannot write it).`, {
      phase: 'begin',
      hint: `Mount the folder ${disk.file.slice(0, disk.file.lastIndexOf('/'))} at the same path on "${destination.host}" (NFS, say), or migrate with storage: copy (--storage copy), which copies the disk with the migration.`,
    });
  }
  if (disk.backing === undefined) {
    scene.note(`VM "${vmName}"'s disk ${disk.file} has no base image: all of it (${gib(disk.virtualSize)}) is copied.`);
    return { storage: 'copy', source: disk, sync: 'full' };
  }
  const { file, format } = disk.backing;
  let there: ImageInfo | undefined;
  try {
    there = await baseOnDestination(destination.system, file, format);
  } catch (error) {
    if (!(error instanceof DiskImageError)) throw error;
    throw new MigrationError(`The base image ${file} on "${destination.host}" cannot be used: ${error.message}`, {
      phase: 'begin',
      hint: `Replace it with a copy of the image on "${source.host}", or remove it there so the whole disk is copied.`,
      cause: error,
    });
  }
  if (there === undefined) {
    scene.note(`The base image ${file} is not on "${destination.host}": the whole disk (up to ${gib(disk.virtualSize)}) is copied with the migration. Copy the image to the same path there to send only the VM's own changes next time.`);
    return { storage: 'copy', source: disk, sync: 'full' };
  }
  const here = await imageInfo(source.system, file, { format: format === 'qcow2' ? 'qcow2' : 'raw', forceShare: true });
  if (there.format !== here.format || there.virtualSize !== here.virtualSize) {
    throw new MigrationError(
      `The base image ${file} differs between the hosts: ${here.format}, ${here.virtualSize} bytes on "${source.host}" but ${there.format}, ${there.virtualSize} bytes on "${destination.host}". ` +
        `The VM's overlay only holds its changes to that image, so on another image the guest would see a broken disk.`,
      { phase: 'begin', hint: `Copy the image from "${source.host}" to ${file} on "${destination.host}", or remove it there so the whole disk is copied.` },
    );
  }
  // Same path, format and size is taken as the same image: a checksum would read all of it on both hosts (minutes for a 10 GB image).
  scene.note(`The base image ${file} is on "${destination.host}" too (same format and size; not checksummed): only VM "${vmName}"'s own changes, its overlay, are copied.`);
  return { storage: 'copy', source: disk, sync: 'top' };
}
