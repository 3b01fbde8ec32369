/**
 * What a disk guest's disk is on its host now: the chain of files the guest runs on (its snapshot
 * layers, its overlay, the base image) with their sizes, or that it has none yet. Read through
 * the host's {@link HostSystem}, so the same on this machine and over SSH.
 */
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { activeFile, readLayers } from '../../snapshots/layer-record';
import { parseDiskChain, type DiskChainFile } from './disk-chain';
import { DiskImageError } from './errors';
import { imageExists, qemuImg } from './qemu-img';

/** A VM's disk: `none` when it was never made (the VM never booted), else its chain, top first. */
export type VmDisks = { readonly kind: 'none'; readonly disk: string } | { readonly kind: 'chain'; readonly files: readonly DiskChainFile[] };

/**
 * Reads the disk whose overlay is `disk` (`<state>/disks/<lab>-<vm>/disk.qcow2` on `system`),
 * from its newest snapshot layer down. With `-U`: a running QEMU holds the files' locks.
 *
 * @throws DiskImageError when qemu-img cannot read the chain, in plain words.
 */
export async function readVmDisks(system: HostSystem, disk: string, signal?: AbortSignal): Promise<VmDisks> {
  if (!(await imageExists(system, disk, signal))) return { kind: 'none', disk };
  const top = activeFile({ disk }, await readLayers(system, { disk }));
  const stdout = await qemuImg(system, top, ['info', '--output=json', '-U', '--backing-chain', '-f', 'qcow2', top], signal);
  const files = parseDiskChain(stdout);
  if (files === undefined) {
    throw new DiskImageError(`qemu-img info printed something unexpected for ${top}.`, { hint: 'Check qemu-img info --backing-chain on the file by hand; update qemu-utils if it fails.' });
  }
  return { kind: 'chain', files };
}
