/**
 * A writer for the cpio "newc" format (magic `070701`), the format the Linux kernel unpacks an
 * initramfs from. Debian has no `cpio` program by default, and this is all the guest needs:
 * folders, regular files, symlinks and device nodes, owned by root.
 */

/** File type bits of `mode`, as in `stat(2)`. */
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

/** One member of the archive. */
export interface CpioEntry {
  /** The path inside the archive, without a leading `/` (`bin/sh`, `etc/passwd`). */
  readonly name: string;
  /** Type bits and permission bits, e.g. `S_IFREG | 0o755`. */
  readonly mode: number;
  /** The file contents, or a symlink's target; empty for folders and devices. */
  readonly data?: Buffer;
  readonly uid?: number;
  readonly gid?: number;
  /** Seconds since the epoch. */
  readonly mtime?: number;
  /** For device nodes. */
  readonly rdevMajor?: number;
  readonly rdevMinor?: number;
}

const TRAILER = 'TRAILER!!!';

function hex8(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`cpio newc field out of range: ${value}`);
  }
  return value.toString(16).padStart(8, '0');
}

function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

/**
 * Encodes one member: the 110-byte header, the NUL-terminated name padded to 4 bytes, then the
 * data padded to 4 bytes. `ino` must be unique per member (the kernel links members that share
 * an inode number and have nlink > 1).
 */
export function encodeCpioEntry(entry: CpioEntry, ino: number): Buffer[] {
  const name = Buffer.from(`${entry.name}\0`, 'utf8');
  const data = entry.data ?? Buffer.alloc(0);
  const isDir = (entry.mode & 0o170000) === S_IFDIR;
  const header = Buffer.from(
    '070701' +
      hex8(ino) +
      hex8(entry.mode) +
      hex8(entry.uid ?? 0) +
      hex8(entry.gid ?? 0) +
      hex8(isDir ? 2 : 1) +
      hex8(entry.mtime ?? 0) +
      hex8(data.length) +
      hex8(0) + // devmajor
      hex8(0) + // devminor
      hex8(entry.rdevMajor ?? 0) +
      hex8(entry.rdevMinor ?? 0) +
      hex8(name.length) +
      hex8(0), // check (only for the 070702 format)
    'latin1',
  );
  const chunks = [header, name, padding(header.length + name.length)];
  if (data.length > 0) chunks.push(data, padding(data.length));
  return chunks;
}

/** The `TRAILER!!!` member that ends every archive. */
export function cpioTrailer(): Buffer[] {
  return encodeCpioEntry({ name: TRAILER, mode: 0 }, 0);
}

/**
 * Streams an archive of `entries` (in order: a folder must come before what it holds) as chunks.
 * Members are numbered from inode 1 upwards.
 */
export async function* cpioChunks(entries: AsyncIterable<CpioEntry> | Iterable<CpioEntry>): AsyncGenerator<Buffer> {
  let ino = 1;
  for await (const entry of entries) {
    if (entry.name === '' || entry.name.startsWith('/') || entry.name === TRAILER) {
      throw new RangeError(`invalid cpio member name: ${JSON.stringify(entry.name)}`);
    }
    yield* encodeCpioEntry(entry, ino++);
  }
  yield* cpioTrailer();
}

/** The whole archive of `entries` in one buffer (for small archives and tests). */
export async function cpioArchive(entries: Iterable<CpioEntry>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of cpioChunks(entries)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
