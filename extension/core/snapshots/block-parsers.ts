/**
 * Pure parsers of the QMP replies snapshots are read from: `query-block` (the guest's disks, by
 * device) and `query-named-block-nodes` (every block node, with the snapshots in each qcow2).
 * Tested on replies captured from QEMU 7.2 (test/fixtures/snapshots/).
 */
import { isJsonObject } from '../infrastructure/support/json-object';

/** A disk the guest sees, as `query-block` reports it (only devices with a medium inserted). */
export interface BlockDevice {
  /** QEMU's device name (`virtio0`); may be empty for `-device … drive=` devices. */
  readonly device: string;
  /** The node at the top of the device (its format node). */
  readonly node: string;
  /** Its format driver: `qcow2`, `raw`, … */
  readonly driver: string;
  readonly readOnly: boolean;
  readonly file: string;
}

/** One internal snapshot inside a qcow2 node. */
export interface SnapshotInfo {
  readonly id: string;
  readonly name: string;
  /** When it was taken (ISO 8601, from the host's clock). */
  readonly date: string;
  /** Bytes of guest memory and device state saved with it; 0 for a disk-only snapshot. */
  readonly vmStateBytes: number;
  /** QEMU's virtual clock when it was taken, in seconds: how long the VM had run (from QEMU's start, pauses left out). */
  readonly vmClockSeconds: number;
}

/** A block node, as `query-named-block-nodes` reports it. */
export interface NamedBlockNode {
  readonly node: string;
  readonly driver: string;
  readonly readOnly: boolean;
  readonly file: string;
  readonly snapshots: readonly SnapshotInfo[];
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** The snapshots of a node's `image.snapshots`; entries of another shape are skipped. */
export function parseSnapshotInfos(value: unknown): SnapshotInfo[] {
  if (!Array.isArray(value)) return [];
  const infos: SnapshotInfo[] = [];
  for (const entry of value) {
    if (!isJsonObject(entry)) continue;
    const name = string(entry['name']);
    const id = string(entry['id']);
    if (name === undefined || id === undefined) continue;
    const millis = count(entry['date-sec']) * 1000 + Math.floor(count(entry['date-nsec']) / 1e6);
    infos.push({
      id,
      name,
      date: new Date(millis).toISOString(),
      vmStateBytes: count(entry['vm-state-size']),
      vmClockSeconds: count(entry['vm-clock-sec']) + count(entry['vm-clock-nsec']) / 1e9,
    });
  }
  return infos;
}

/** The guest's disks from a `query-block` reply; devices without a medium are left out. */
export function parseBlockDevices(reply: unknown): BlockDevice[] {
  if (!Array.isArray(reply)) return [];
  const devices: BlockDevice[] = [];
  for (const entry of reply) {
    if (!isJsonObject(entry) || !isJsonObject(entry['inserted'])) continue;
    const inserted = entry['inserted'];
    const node = string(inserted['node-name']);
    const driver = string(inserted['drv']);
    if (node === undefined || driver === undefined) continue;
    devices.push({ device: string(entry['device']) ?? '', node, driver, readOnly: inserted['ro'] === true, file: string(inserted['file']) ?? '' });
  }
  return devices;
}

/** Every block node from a `query-named-block-nodes` reply, with the snapshots of each. */
export function parseNamedBlockNodes(reply: unknown): NamedBlockNode[] {
  if (!Array.isArray(reply)) return [];
  const nodes: NamedBlockNode[] = [];
  for (const entry of reply) {
    if (!isJsonObject(entry)) continue;
    const node = string(entry['node-name']);
    const driver = string(entry['drv']);
    if (node === undefined || driver === undefined) continue;
    const image = isJsonObject(entry['image']) ? entry['image'] : {};
    nodes.push({ node, driver, readOnly: entry['ro'] === true, file: string(entry['file']) ?? '', snapshots: parseSnapshotInfos(image['snapshots']) });
  }
  return nodes;
}
