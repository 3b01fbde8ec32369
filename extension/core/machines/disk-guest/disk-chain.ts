/**
 * A VM's disk as a chain of files, read from `qemu-img info --output=json --backing-chain`: the
 * file the guest writes first (its overlay, or the newest snapshot layer), then each backing file
 * down to the base image. Pure: tested on output captured from qemu-img.
 */

/** One file of a disk chain, as qemu-img describes it. */
export interface DiskChainFile {
  /** The file as qemu-img opened it (the first one as given, the others as their overlay names them). */
  readonly path: string;
  /** `qcow2`, `raw`, …: the format qemu-img opened it as. */
  readonly format: string;
  /** What the guest sees, in bytes. */
  readonly virtualSize: number;
  /** What the file takes on the host's disk, in bytes; undefined when qemu-img could not say. */
  readonly actualSize: number | undefined;
  /** The file under this one (absolute, as qemu-img resolved it); undefined at the bottom of the chain. */
  readonly backingFile: string | undefined;
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function chainFile(value: unknown): DiskChainFile | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { filename, format } = record;
  const virtualSize = record['virtual-size'];
  const actualSize = record['actual-size'];
  // The full name is resolved against the overlay's folder; the plain one is as written in the overlay.
  const backing = record['full-backing-filename'] ?? record['backing-filename'];
  if (typeof filename !== 'string' || filename === '' || typeof format !== 'string' || !isSize(virtualSize)) return undefined;
  if (actualSize !== undefined && !isSize(actualSize)) return undefined;
  if (backing !== undefined && typeof backing !== 'string') return undefined;
  return { path: filename, format, virtualSize, actualSize, backingFile: backing === '' ? undefined : backing };
}

/**
 * Reads `qemu-img info --output=json --backing-chain`: the files from the top (the one asked
 * about) to the base. Undefined when the output is not that shape (not a non-empty array of
 * images with a name, a format and a size).
 */
export function parseDiskChain(json: string): DiskChainFile[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const files: DiskChainFile[] = [];
  for (const entry of value as unknown[]) {
    const file = chainFile(entry);
    if (file === undefined) return undefined;
    files.push(file);
  }
  return files;
}
