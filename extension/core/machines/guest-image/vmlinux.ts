/**
 * Gets the uncompressed ELF `vmlinux` out of an x86 bzImage. QEMU boots such an ELF directly
 * through its PVH entry point, which skips the in-guest decompression that takes seconds under
 * TCG. Debian compresses its kernels with xz; gzip (Node's zlib) and zstd are handled too.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { GuestBuildError } from '../../errors';
import { runBinary } from './run';

/** Compression formats a bzImage payload can use that we can undo. */
export type PayloadFormat = 'gzip' | 'xz' | 'zstd';

/** Where the compressed kernel sits inside a bzImage. */
export interface BzImagePayload {
  readonly format: PayloadFormat;
  readonly offset: number;
  readonly length: number;
  /** The uncompressed size the kernel build appended after the stream (not for gzip). */
  readonly uncompressedSize: number | undefined;
}

const MAGICS: readonly { readonly format: PayloadFormat; readonly bytes: Buffer }[] = [
  { format: 'xz', bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { format: 'gzip', bytes: Buffer.from([0x1f, 0x8b, 0x08]) },
  { format: 'zstd', bytes: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]) },
];

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

function formatAt(image: Buffer, offset: number): PayloadFormat | undefined {
  return MAGICS.find((magic) => image.subarray(offset, offset + magic.bytes.length).equals(magic.bytes))?.format;
}

function withSize(image: Buffer, format: PayloadFormat, offset: number, length: number): BzImagePayload {
  // The kernel build appends the little-endian uncompressed size to xz and zstd payloads
  // (`size_append`); gzip already ends with it.
  if (format === 'gzip') return { format, offset, length, uncompressedSize: undefined };
  return { format, offset, length: length - 4, uncompressedSize: image.readUInt32LE(offset + length - 4) };
}

/**
 * Finds the compressed kernel in a bzImage: through the boot-protocol header (`payload_offset` /
 * `payload_length`, protocol ≥ 2.08) when it is there, otherwise by the first compression magic.
 */
export function locatePayload(image: Buffer): BzImagePayload | undefined {
  const hasHeader = image.length > 0x250 && image.toString('latin1', 0x202, 0x206) === 'HdrS';
  if (hasHeader && image.readUInt16LE(0x206) >= 0x208) {
    const setupSectors = image.readUInt8(0x1f1) || 4;
    const offset = (setupSectors + 1) * 512 + image.readUInt32LE(0x248);
    const length = image.readUInt32LE(0x24c);
    const format = formatAt(image, offset);
    if (format !== undefined && length > 4 && offset + length <= image.length) {
      return withSize(image, format, offset, length);
    }
  }
  let best: { format: PayloadFormat; offset: number } | undefined;
  for (const magic of MAGICS) {
    const at = image.indexOf(magic.bytes);
    if (at >= 0 && (best === undefined || at < best.offset)) best = { format: magic.format, offset: at };
  }
  if (best === undefined) return undefined;
  // Without the header the payload runs to the end of the image; decompressors stop at its end.
  return { format: best.format, offset: best.offset, length: image.length - best.offset, uncompressedSize: undefined };
}

/** Whether `elf` starts with the ELF magic. */
export function isElf(elf: Buffer): boolean {
  return elf.subarray(0, 4).equals(ELF_MAGIC);
}

/** XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit PVH entry point QEMU looks for in an ELF kernel. */
const XEN_ELFNOTE_PHYS32_ENTRY = 18;
const PT_NOTE = 4;

/** Whether a 64-bit little-endian ELF carries a Xen PVH entry note, which QEMU needs to boot it. */
export function hasPvhEntry(elf: Buffer): boolean {
  if (!isElf(elf) || elf.readUInt8(4) !== 2 || elf.readUInt8(5) !== 1) return false;
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let index = 0; index < phnum; index++) {
    const header = phoff + index * phentsize;
    if (header + 56 > elf.length || elf.readUInt32LE(header) !== PT_NOTE) continue;
    const start = Number(elf.readBigUInt64LE(header + 8));
    const size = Number(elf.readBigUInt64LE(header + 32));
    let at = start;
    while (at + 12 <= start + size && at + 12 <= elf.length) {
      const nameSize = elf.readUInt32LE(at);
      const descSize = elf.readUInt32LE(at + 4);
      const type = elf.readUInt32LE(at + 8);
      const name = elf.toString('latin1', at + 12, at + 12 + Math.max(0, nameSize - 1));
      if (name === 'Xen' && type === XEN_ELFNOTE_PHYS32_ENTRY) return true;
      at += 12 + align4(nameSize) + align4(descSize);
    }
  }
  return false;
}

function align4(value: number): number {
  return (value + 3) & ~3;
}

async function decompress(payload: BzImagePayload, image: Buffer, signal?: AbortSignal): Promise<Buffer> {
  const bytes = image.subarray(payload.offset, payload.offset + payload.length);
  switch (payload.format) {
    case 'gzip':
      return gunzipSync(bytes);
    case 'xz':
      // busybox's unxz lacks the x86 BCJ filter the kernel build uses, so this needs xz-utils.
      return runBinary('xz', ['-dc', '--single-stream'], bytes, { signal, missingHint: 'apt-get install xz-utils' });
    case 'zstd':
      return runBinary('zstd', ['-dc'], bytes, { signal, missingHint: 'apt-get install zstd' });
  }
}

/** What {@link extractVmlinux} did. */
export type VmlinuxResult =
  | { readonly ok: true; readonly path: string; readonly format: PayloadFormat; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Writes the ELF kernel inside `bzImagePath` to `outPath`. Never throws for a kernel it cannot
 * unpack (the bzImage still boots): it says why instead. Cancellation still throws.
 */
export async function extractVmlinux(
  bzImagePath: string,
  outPath: string,
  signal?: AbortSignal,
): Promise<VmlinuxResult> {
  const image = await readFile(bzImagePath);
  const payload = locatePayload(image);
  if (payload === undefined) return { ok: false, reason: 'no gzip, xz or zstd payload found in the bzImage' };
  let elf: Buffer;
  try {
    elf = await decompress(payload, image, signal);
  } catch (error) {
    if (signal?.aborted === true) throw error;
    const why = error instanceof GuestBuildError && error.hint !== undefined ? `${error.message} (${error.hint})` : String(error);
    return { ok: false, reason: `could not decompress the ${payload.format} payload: ${why}` };
  }
  if (!isElf(elf)) return { ok: false, reason: 'the decompressed payload is not an ELF file' };
  if (payload.uncompressedSize !== undefined && payload.uncompressedSize !== elf.length) {
    return { ok: false, reason: `the payload decompressed to ${elf.length} bytes, the image says ${payload.uncompressedSize}` };
  }
  if (!hasPvhEntry(elf)) return { ok: false, reason: 'the kernel has no PVH entry point (CONFIG_PVH), QEMU cannot boot it as ELF' };
  await writeFile(outPath, elf);
  return { ok: true, path: outPath, format: payload.format, bytes: elf.length };
}
