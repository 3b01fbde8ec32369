/**
 * The record of a disk guest's disk-only (external) snapshots: `layers.json` beside its disk
 * (`<state>/disks/<lab>-<vm>/disk.qcow2`), oldest first. Each snapshot is a qcow2 layer file in
 * that same folder, `layer-<name>.qcow2`, over the one before it (the oldest over `disk.qcow2`);
 * the newest layer is where the guest writes. The record is read back as input: a name QEMU Lab
 * would not take, a file that is not `layer-<name>.qcow2` (so never a path outside the folder)
 * or a bad date refuses the whole record.
 */
import { basename, dirname, join } from 'node:path';
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { StateTrustError } from '../infrastructure/files/private-state';
import { isJsonObject } from '../infrastructure/support/json-object';
import { isSnapshotName } from './snapshot-name';

/** The record's file name, in the disk's folder. */
export const LAYER_RECORD_FILE = 'layers.json';

/** One disk-only snapshot: its layer file took the guest's writes from `created` on. */
export interface DiskLayer {
  readonly name: string;
  /** The layer's file name in the disk's folder: always `layer-<name>.qcow2`. */
  readonly file: string;
  /** When it was taken (ISO 8601). */
  readonly created: string;
}

/** The file name of snapshot `name`'s layer. */
export function layerFileName(name: string): string {
  return `layer-${name}.qcow2`;
}

/** Whether `path` names a disk-only snapshot's layer file (as {@link layerFileName} makes them). */
export function isLayerFile(path: string): boolean {
  const name = basename(path);
  return name.startsWith('layer-') && name.endsWith('.qcow2') && isSnapshotName(name.slice('layer-'.length, -'.qcow2'.length));
}

/** Where a VM's disk and its layers live, on the VM's host. */
export interface DiskFolder {
  /** The VM's own disk (`…/disk.qcow2`): the bottom of its chain. */
  readonly disk: string;
}

/** The folder of `folder`'s disk. */
function folderOf(folder: DiskFolder): string {
  return dirname(folder.disk);
}

/** The full path of a layer. */
export function layerPath(folder: DiskFolder, layer: Pick<DiskLayer, 'file'>): string {
  return join(folderOf(folder), layer.file);
}

/** The file the guest writes to: the newest layer, else the disk itself. */
export function activeFile(folder: DiskFolder, layers: readonly DiskLayer[]): string {
  const newest = layers.at(-1);
  return newest === undefined ? folder.disk : layerPath(folder, newest);
}

/** The file under layer `index` (the one it was taken over). */
export function backingFileOf(folder: DiskFolder, layers: readonly DiskLayer[], index: number): string {
  const below = index > 0 ? layers[index - 1] : undefined;
  return below === undefined ? folder.disk : layerPath(folder, below);
}

function refuse(where: string, problem: string): never {
  throw new StateTrustError(`The disk-only snapshot record ${where} is not valid: ${problem}.`, {
    hint: 'QEMU Lab never writes that: someone or something changed it. Look at it and at the layer-*.qcow2 files beside it; remove what is wrong (a layer removed loses what the guest wrote after that snapshot).',
  });
}

/**
 * Parses the record's text (`where` names it in messages).
 *
 * @throws StateTrustError for anything QEMU Lab would not have written.
 */
export function parseLayerRecord(text: string, where: string): DiskLayer[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    refuse(where, 'it is not JSON');
  }
  if (!isJsonObject(value) || value['version'] !== 1 || !Array.isArray(value['layers'])) refuse(where, 'it is not {"version": 1, "layers": […]}');
  const layers: DiskLayer[] = [];
  for (const [index, entry] of value['layers'].entries()) {
    if (!isJsonObject(entry)) refuse(where, `layers[${index}] is not an object`);
    const { name, file, created } = entry;
    if (typeof name !== 'string' || !isSnapshotName(name)) refuse(where, `layers[${index}].name is not a snapshot name`);
    if (file !== layerFileName(name)) refuse(where, `layers[${index}].file is not ${layerFileName(name)}`);
    if (typeof created !== 'string' || Number.isNaN(Date.parse(created)) || new Date(created).toISOString() !== created) refuse(where, `layers[${index}].created is not an ISO 8601 time`);
    if (layers.some((layer) => layer.name === name)) refuse(where, `snapshot "${name}" is in it twice`);
    layers.push({ name, file, created });
  }
  return layers;
}

/** The record's text for `layers`. */
export function formatLayerRecord(layers: readonly DiskLayer[]): string {
  return JSON.stringify({ version: 1, layers }, null, 2) + '\n';
}

function recordPath(folder: DiskFolder): string {
  return join(folderOf(folder), LAYER_RECORD_FILE);
}

/** The layers of the disk in `folder` on `system`, oldest first; none when there is no record. */
export async function readLayers(system: HostSystem, folder: DiskFolder): Promise<DiskLayer[]> {
  const path = recordPath(folder);
  const text = await system.readText(path);
  return text === undefined ? [] : parseLayerRecord(text, system.isLocal ? path : `${path} on host "${system.name}"`);
}

/** Writes the record of the disk in `folder` (atomically: a crash leaves the old one or the new one). */
export async function writeLayers(system: HostSystem, folder: DiskFolder, layers: readonly DiskLayer[]): Promise<void> {
  await system.writeTextAtomically(recordPath(folder), formatLayerRecord(layers));
}
