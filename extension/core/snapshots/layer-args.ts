/**
 * Pure parts of disk-only snapshots: the qemu-img and QMP arguments, and what the QMP replies say
 * of the guest's disk (`query-block`) and its nodes (`query-named-block-nodes`). Tested on
 * replies captured from QEMU 7.2 (test/fixtures/snapshots/).
 *
 * The guest's disk is the `-drive` with id `qemu-lab-disk` (see argv.ts): `blockdev-snapshot`
 * and `block-commit` take that device name for its top node. The nodes under it have names QEMU
 * made up (`#block123`), so a layer's backing node is found by its file.
 */
import { DISK_DRIVE_ID } from '../infrastructure/qemu/launch-plan';
import type { QmpValue } from '../infrastructure/qmp/messages';
import { isJsonObject } from '../infrastructure/support/json-object';
import type { NamedBlockNode } from './block-parsers';

/** The guest's disk as `query-block` shows it. */
export interface GuestDisk {
  /** The file the guest writes to now (the top of its chain). */
  readonly active: string;
  readonly driver: string;
  /** The disk's size as the guest sees it. */
  readonly virtualSize: number;
}

/** The guest's disk (`qemu-lab-disk`) from a `query-block` reply; undefined when the VM has none (the built-in guest). */
export function parseGuestDisk(reply: unknown): GuestDisk | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const entry of reply) {
    if (!isJsonObject(entry) || entry['device'] !== DISK_DRIVE_ID || !isJsonObject(entry['inserted'])) continue;
    const inserted = entry['inserted'];
    const image = isJsonObject(inserted['image']) ? inserted['image'] : {};
    const active = inserted['file'];
    const driver = inserted['drv'];
    const size = image['virtual-size'];
    if (typeof active !== 'string' || typeof driver !== 'string' || typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) return undefined;
    return { active, driver, virtualSize: size };
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

/** `blockdev-snapshot`: the guest's disk (by its device name) gets the new layer on top. */
export function snapshotArgs(nodeName: string): Record<string, QmpValue> {
  return { node: DISK_DRIVE_ID, overlay: nodeName };
}

/**
 * `block-commit` of the active layer into the node under it. The base is always given: left out,
 * QEMU would commit into the deepest image of the chain (the user's own image).
 */
export function commitArgs(jobId: string, baseNode: string): Record<string, QmpValue> & { readonly 'job-id': string } {
  return { 'job-id': jobId, device: DISK_DRIVE_ID, 'base-node': baseNode, 'auto-dismiss': false };
}
