/**
 * Boot step 2b: the VM's state disk, a small qcow2 file in its run directory that no device shows
 * the guest. Whole-VM snapshots keep the guest's memory in it: the built-in guest has no disk of
 * its own to hold it. It outlives the VM's QEMU (its snapshots do), so a boot keeps the one there.
 */
import { join } from 'node:path';
import { CommandFailedError } from '../../errors';
import { ProgramNotFoundError } from '../../infrastructure/hosts/host-errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { BootMedia } from '../../infrastructure/qemu/launch-plan';
import { imageExists } from '../disk-guest/qemu-img';

/** The state disk's file name in a run directory. */
export const STATE_DISK_FILE = 'state.qcow2';

/**
 * Its virtual size: nothing is ever written to the disk itself. QEMU stores a snapshot's memory
 * after the end of the virtual disk, so the file grows by about the guest's RAM per snapshot.
 */
const STATE_DISK_VIRTUAL_BYTES = 1024 * 1024;

/**
 * The state disk of a boot in run directory `dir`, made when missing; undefined for a disk guest
 * (its own qcow2 disk holds the memory) and when the host has no `qemu-img` (the VM boots as
 * before, and `snapshot` says what to install).
 */
export async function prepareStateDisk(system: HostSystem, dir: string, boot: BootMedia, signal?: AbortSignal): Promise<string | undefined> {
  if (boot.kind !== 'kernel') return undefined;
  const path = join(dir, STATE_DISK_FILE);
  if (await imageExists(system, path, signal)) return path;
  try {
    await system.run('qemu-img', ['create', '-q', '-f', 'qcow2', path, String(STATE_DISK_VIRTUAL_BYTES)], { timeoutMs: 60_000, signal });
  } catch (error) {
    if (error instanceof ProgramNotFoundError || error instanceof CommandFailedError) return undefined;
    throw error;
  }
  return path;
}
