/**
 * `qemu-img` on a VM's host: what an image is (`info`), a qcow2 overlay on it (`create -b`), a
 * bigger overlay (`resize`). What qemu-img says when it fails becomes a {@link DiskImageError}
 * in plain words: missing, locked by another QEMU, corrupt, not the format its name says.
 */
import { CommandFailedError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { DiskFormat } from '../../infrastructure/qemu/launch-plan';
import { DiskImageError } from './errors';

const QEMU_IMG_HINT = 'apt-get install qemu-utils';
const QEMU_IMG_TIMEOUT_MS = 60_000;

/** What `qemu-img info` says of an image. */
export interface ImageInfo {
  readonly format: string;
  readonly virtualSize: number;
  /** The backing file as written in the image (overlays only). */
  readonly backingFile: string | undefined;
}

/** Reads `qemu-img info --output=json`; undefined when it is not that shape. */
export function parseImageInfo(json: string): ImageInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const format = record.format;
  const virtualSize = record['virtual-size'];
  const backing = record['backing-filename'];
  if (typeof format !== 'string' || typeof virtualSize !== 'number' || !Number.isSafeInteger(virtualSize) || virtualSize < 0) return undefined;
  return { format, virtualSize, backingFile: typeof backing === 'string' ? backing : undefined };
}

/** The kinds of qemu-img failure a user can act on. */
export type QemuImgProblem = 'missing' | 'locked' | 'wrong-format' | 'corrupt' | 'permission' | 'other';

/** Sorts what qemu-img printed on failure into a {@link QemuImgProblem}. */
export function classifyQemuImgError(stderr: string): QemuImgProblem {
  if (/No such file or directory/i.test(stderr)) return 'missing';
  if (/Failed to get .*lock|Is another process using the image/i.test(stderr)) return 'locked';
  if (/Permission denied/i.test(stderr)) return 'permission';
  if (/Image is not in qcow2 format|not in .* format|Unknown driver|Unknown file format/i.test(stderr)) return 'wrong-format';
  if (/corrupt|Unsupported qcow2 version|header|Invalid argument|L1 table|refcount|Could not read/i.test(stderr)) return 'corrupt';
  return 'other';
}

/** A {@link DiskImageError} for qemu-img's failure on `path`, in plain words with what to do. */
export function diskImageErrorFrom(path: string, stderr: string, host: string): DiskImageError {
  const said = stderr.trim().split('\n').slice(-3).join('\n');
  const where = host === 'local' ? '' : ` on host "${host}"`;
  switch (classifyQemuImgError(stderr)) {
    case 'missing':
      return new DiskImageError(`The disk image ${path} does not exist${where}.`, {
        hint: 'Check image: in the lab file (a relative path is taken from the lab file\'s folder), or copy the image there.',
      });
    case 'locked':
      return new DiskImageError(`The disk image ${path}${where} is in use by another QEMU, which holds its lock.`, {
        hint: 'Stop the other VM using it (qemu-lab status shows yours), or point image: at a copy.',
      });
    case 'permission':
      return new DiskImageError(`The disk image ${path}${where} cannot be read: permission denied.`, {
        hint: `Give your user read access to it (ls -l ${path}).`,
      });
    case 'wrong-format':
      return new DiskImageError(`The disk image ${path}${where} is not in the format its name says:\n${said}`, {
        hint: 'Name a qcow2 image *.qcow2 and a raw image anything else, or convert it: qemu-img convert -O qcow2 IN OUT.qcow2',
      });
    case 'corrupt':
      return new DiskImageError(`The disk image ${path}${where} looks corrupt or cut short:\n${said}`, {
        hint: `Check it with qemu-img check ${path}, or download it again.`,
      });
    case 'other':
      return new DiskImageError(`qemu-img could not use the disk image ${path}${where}:\n${said}`, {
        hint: 'See what qemu-img says above; qemu-img info on the file shows what QEMU sees.',
      });
  }
}

/** Runs qemu-img on `system` with `args` (about image `path`); its failure as a {@link DiskImageError}. */
export async function qemuImg(system: HostSystem, path: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
  try {
    const result = await system.run('qemu-img', args, { timeoutMs: QEMU_IMG_TIMEOUT_MS, signal, missingHint: QEMU_IMG_HINT });
    return result.stdout;
  } catch (error) {
    if (error instanceof CommandFailedError) throw diskImageErrorFrom(path, error.stderr, system.name);
    throw error;
  }
}

/**
 * What an image is. With `format`, qemu-img opens it as that format (a raw file named .qcow2 is
 * refused); without, it probes (only ever for a file nobody writes to: a base image).
 * `forceShare` reads an image a running QEMU holds (its lock would refuse us otherwise).
 */
export async function imageInfo(
  system: HostSystem,
  path: string,
  options: { format?: DiskFormat; forceShare?: boolean; signal?: AbortSignal } = {},
): Promise<ImageInfo> {
  const args = ['info', '--output=json', ...(options.forceShare === true ? ['-U'] : []), ...(options.format === undefined ? [] : ['-f', options.format]), path];
  const stdout = await qemuImg(system, path, args, options.signal);
  const info = parseImageInfo(stdout);
  if (info === undefined) {
    throw new DiskImageError(`qemu-img info printed something unexpected for ${path}.`, { hint: 'Check qemu-img info on the file by hand; update qemu-utils if it fails.' });
  }
  return info;
}

/** Whether a file exists on the host, without reading it. */
export async function imageExists(system: HostSystem, path: string, signal?: AbortSignal): Promise<boolean> {
  const result = await system.run('test', ['-e', path], { check: false, signal });
  return result.exitCode === 0;
}

/** Creates a qcow2 overlay at `overlay` backed by `base` (of `baseFormat`), `sizeBytes` big (default: the base's size). */
export async function createOverlay(
  system: HostSystem,
  base: string,
  baseFormat: DiskFormat,
  overlay: string,
  sizeBytes: number | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const args = ['create', '-q', '-f', 'qcow2', '-b', base, '-F', baseFormat, overlay, ...(sizeBytes === undefined ? [] : [String(sizeBytes)])];
  await qemuImg(system, base, args, signal);
}

/** Creates an empty qcow2 image of `sizeBytes`, with no base image (the target of a whole-disk copy). */
export async function createEmptyDisk(system: HostSystem, path: string, sizeBytes: number, signal?: AbortSignal): Promise<void> {
  await qemuImg(system, path, ['create', '-q', '-f', 'qcow2', path, String(sizeBytes)], signal);
}

/** Grows a qcow2 image to `sizeBytes` (the guest grows its partition and file system itself: cloud-init's growpart). */
export async function growImage(system: HostSystem, path: string, sizeBytes: number, signal?: AbortSignal): Promise<void> {
  await qemuImg(system, path, ['resize', '-q', '-f', 'qcow2', path, String(sizeBytes)], signal);
}

/** Creates a blank qcow2 disk of `sizeBytes` at `path` (a VM's disk to install a system on). */
export async function createBlankDisk(system: HostSystem, path: string, sizeBytes: number, signal?: AbortSignal): Promise<void> {
  await qemuImg(system, path, ['create', '-q', '-f', 'qcow2', path, String(sizeBytes)], signal);
}

/**
 * Whether `qemu-img map --output=json` shows any data in an image: a blank disk that nothing has
 * written yet has none. Undefined when the output is not that shape.
 */
export function parseMapHasData(json: string): boolean | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  let data = false;
  for (const extent of value as unknown[]) {
    if (typeof extent !== 'object' || extent === null || typeof (extent as Record<string, unknown>).data !== 'boolean') return undefined;
    if ((extent as Record<string, unknown>).data === true) data = true;
  }
  return data;
}

/**
 * Whether a qcow2 disk was ever written (an install put a system on it). Read with `-U`: a
 * migration destination asks while the source's QEMU holds the disk.
 */
export async function diskHasData(system: HostSystem, path: string, signal?: AbortSignal): Promise<boolean> {
  const stdout = await qemuImg(system, path, ['map', '--output=json', '-U', '-f', 'qcow2', path], signal);
  const data = parseMapHasData(stdout);
  if (data === undefined) {
    throw new DiskImageError(`qemu-img map printed something unexpected for ${path}.`, { hint: 'Check qemu-img map on the file by hand; update qemu-utils if it fails.' });
  }
  return data;
}
