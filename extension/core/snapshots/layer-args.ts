/**
 * Pure parts of disk-only snapshots: the qemu-img and QMP arguments, and what the QMP replies say
 * of the guest's disk (`query-block`) and its nodes (`query-named-block-nodes`). Tested on
 * replies captured from QEMU 7.2 (test/fixtures/snapshots/).
 *
 * The guest's disk is found by the files of its chain, and the nodes under its top have names
 * QEMU made up (`#block123`), so a layer's backing node is found by its file too.
 */
import type { QmpValue } from '../infrastructure/qmp/messages';
import { isJsonObject } from '../infrastructure/support/json-object';
import type { NamedBlockNode } from './block-parsers';

/** The guest's disk as `query-block` shows it. */
export interface GuestDisk {
  /** QEMU's device name (`virtio0`, or `qemu-lab-disk` beside a CD-ROM): what `block-commit` takes. */
  readonly device: string;
  /** The node at the top of its chain: what `blockdev-snapshot` puts the layer on. */
  readonly node: string;
  /** The file the guest writes to now (the top of its chain). */
  readonly active: string;
  readonly driver: string;
  /** The disk's size as the guest sees it. */
  readonly virtualSize: number;
}

/** The file names of an `image` of `query-block` and of its backing images, top first. */
function chainFiles(image: unknown): string[] {
  const files: string[] = [];
  for (let level = image; isJsonObject(level) && files.length < 64; level = level['backing-image']) {
    if (typeof level['filename'] === 'string') files.push(level['filename']);
  }
  return files;
}

/**
 * The guest's disk from a `query-block` reply: the writable device whose chain holds `diskFile`
 * (the VM's own disk, `…/disk.qcow2`); undefined when the VM has none (the built-in guest).
 * Found by file, not by name: `-drive if=virtio` names it `virtio0`, a boot with a CD-ROM
 * `qemu-lab-disk` (see argv.ts).
 */
export function parseGuestDisk(reply: unknown, diskFile: string): GuestDisk | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const entry of reply) {
    if (!isJsonObject(entry) || typeof entry['device'] !== 'string' || !isJsonObject(entry['inserted'])) continue;
    const inserted = entry['inserted'];
    const image = isJsonObject(inserted['image']) ? inserted['image'] : {};
    const { 'node-name': node, file: active, drv: driver } = inserted;
    const size = image['virtual-size'];
    if (inserted['ro'] === true || typeof node !== 'string' || typeof active !== 'string' || typeof driver !== 'string') continue;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0 || !chainFiles(image).includes(diskFile)) continue;
    return { device: entry['device'], node, active, driver, virtualSize: size };
  }
  return undefined;
}

/** Bytes a node's image takes on the host (`image.actual-size`), by file, from a `query-named-block-nodes` reply. */
export function parseActualSizes(reply: unknown): Map<string, number> {
  const sizes = new Map<string, number>();
  if (!Array.isArray(reply)) return sizes;
  for (const entry of reply) {
    if (!isJsonObject(entry) || entry['drv'] !== 'qcow2' || typeof entry['file'] !== 'string' || !isJsonObject(entry['image'])) continue;
    const size = entry['image']['actual-size'];
    if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) sizes.set(entry['file'], size);
  }
  return sizes;
}

/** The qcow2 node that opens `file`, if any. */
export function formatNodeOf(nodes: readonly NamedBlockNode[], file: string): NamedBlockNode | undefined {
  return nodes.find((node) => node.driver === 'qcow2' && node.file === file);
}

/**
 * `qemu-img create` of a new layer over `backing` (the file the guest writes to now). `-u`: the
 * running QEMU holds `backing`'s lock, so qemu-img must not open it; the size is given instead.
 */
export function createLayerArgs(layer: string, backing: string, virtualSize: number): string[] {
  return ['create', '-q', '-f', 'qcow2', '-u', '-b', backing, '-F', 'qcow2', layer, String(virtualSize)];
}

/** A node name of at most 31 characters (QEMU's limit) for a layer added in this QEMU. */
export function layerNodeName(now: number): string {
  return `qemu-lab-layer-${now.toString(36)}`;
}

/** Node names this tool gives the layers it adds (they need `blockdev-del` once committed). */
export function isLayerNodeName(name: string): boolean {
  return /^qemu-lab-layer-[0-9a-z]+$/.test(name);
}

/** `blockdev-add` of a new layer file with no backing yet: `blockdev-snapshot` puts it on top of the guest's disk. */
export function addLayerArgs(nodeName: string, layer: string): Record<string, QmpValue> {
  return { driver: 'qcow2', 'node-name': nodeName, file: { driver: 'file', filename: layer }, backing: null };
}

/** `blockdev-snapshot`: the top node of the guest's disk gets the new layer over it. */
export function snapshotArgs(top: string, nodeName: string): Record<string, QmpValue> {
  return { node: top, overlay: nodeName };
}

/**
 * `block-commit` of the active layer into the node under it. The base is always given: left out,
 * QEMU would commit into the deepest image of the chain (the user's own image).
 */
export function commitArgs(jobId: string, device: string, baseNode: string): Record<string, QmpValue> & { readonly 'job-id': string } {
  return { 'job-id': jobId, device, 'base-node': baseNode, 'auto-dismiss': false };
}
