import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractVmlinux, hasPvhEntry, isElf, locatePayload } from '../../../extension/core/machines/guest-image/vmlinux';

const work = mkdtempSync(join(tmpdir(), 'qemu-lab-vmlinux-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A minimal ELF64 with one PT_NOTE segment holding a note of `noteType` from `owner`. */
function fakeElf(owner = 'Xen', noteType = 18): Buffer {
  const name = Buffer.alloc(4);
  name.write(owner, 'latin1');
  const note = Buffer.alloc(12 + 4 + 4);
  note.writeUInt32LE(owner.length + 1, 0);
  note.writeUInt32LE(4, 4);
  note.writeUInt32LE(noteType, 8);
  name.copy(note, 12);
  note.writeUInt32LE(0x1000000, 16);
  const elf = Buffer.alloc(64 + 56 + note.length + 256, 0x90);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  elf.writeBigUInt64LE(64n, 0x20); // e_phoff
  elf.writeUInt16LE(56, 0x36); // e_phentsize
  elf.writeUInt16LE(1, 0x38); // e_phnum
  elf.writeUInt32LE(4, 64); // p_type = PT_NOTE
  elf.writeBigUInt64LE(120n, 64 + 8); // p_offset
  elf.writeBigUInt64LE(BigInt(note.length), 64 + 32); // p_filesz
  note.copy(elf, 120);
  return elf;
}

/** A bzImage-shaped buffer: one setup sector after the boot sector, then `payload` at `payloadOffset`. */
function fakeBzImage(payload: Buffer, payloadOffset = 100, withHeader = true): Buffer {
  const setupSectors = 1;
  const start = (setupSectors + 1) * 512;
  const image = Buffer.alloc(start + payloadOffset + payload.length + 64, 0xcc);
  if (withHeader) {
    image.writeUInt8(setupSectors, 0x1f1);
    image.write('HdrS', 0x202, 'latin1');
    image.writeUInt16LE(0x20f, 0x206);
    image.writeUInt32LE(payloadOffset, 0x248);
    image.writeUInt32LE(payload.length, 0x24c);
  }
  payload.copy(image, start + payloadOffset);
  return image;
}

function sizeAppended(stream: Buffer, size: number): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(size, 0);
  return Buffer.concat([stream, tail]);
}

const hasXz = ['/usr/bin/xz', '/bin/xz'].some((path) => existsSync(path));

describe('hasPvhEntry', () => {
  it('finds the Xen PHYS32_ENTRY note', () => {
    expect(isElf(fakeElf())).toBe(true);
    expect(hasPvhEntry(fakeElf())).toBe(true);
  });

  it('is false without that note or without ELF', () => {
    expect(hasPvhEntry(fakeElf('Xen', 5))).toBe(false);
    expect(hasPvhEntry(fakeElf('GNU', 18))).toBe(false);
    expect(hasPvhEntry(Buffer.from('not an elf at all, not at all'))).toBe(false);
  });
});

describe('locatePayload', () => {
  it('uses the boot-protocol header', () => {
    const payload = gzipSync(fakeElf());
    const found = locatePayload(fakeBzImage(payload));
    expect(found).toEqual({ format: 'gzip', offset: 1024 + 100, length: payload.length, uncompressedSize: undefined });
  });

  it('strips the appended size of xz payloads', () => {
    const xzMagic = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3, 4]);
    const found = locatePayload(fakeBzImage(sizeAppended(xzMagic, 123456)));
    expect(found).toEqual({ format: 'xz', offset: 1124, length: xzMagic.length, uncompressedSize: 123456 });
  });

  it('falls back to the first compression magic without a header', () => {
    const payload = gzipSync(fakeElf());
    const image = fakeBzImage(payload, 100, false);
    expect(locatePayload(image)?.format).toBe('gzip');
    expect(locatePayload(image)?.offset).toBe(1124);
  });

  it('finds nothing in an image without a payload', () => {
    expect(locatePayload(Buffer.alloc(4096))).toBeUndefined();
  });
});

describe('extractVmlinux', () => {
  it('unpacks a gzip payload with Node zlib', async () => {
    const elf = fakeElf();
    const bz = join(work, 'gzip.bzImage');
    writeFileSync(bz, fakeBzImage(gzipSync(elf)));
    const result = await extractVmlinux(bz, join(work, 'gzip.vmlinux'));
    expect(result).toEqual({ ok: true, path: join(work, 'gzip.vmlinux'), format: 'gzip', bytes: elf.length });
    expect(readFileSync(join(work, 'gzip.vmlinux')).equals(elf)).toBe(true);
  });

  it.skipIf(!hasXz)('unpacks an xz payload (with the appended size) with xz', async () => {
    const elf = fakeElf();
    const xz = execFileSync('xz', ['--check=crc32', '-c'], { input: elf });
    const bz = join(work, 'xz.bzImage');
    writeFileSync(bz, fakeBzImage(sizeAppended(xz, elf.length)));
    const result = await extractVmlinux(bz, join(work, 'xz.vmlinux'));
    expect(result.ok).toBe(true);
    expect(readFileSync(join(work, 'xz.vmlinux')).equals(elf)).toBe(true);
  });

  it('says why when the payload is no ELF or has no PVH entry', async () => {
    const notElf = join(work, 'notelf.bzImage');
    writeFileSync(notElf, fakeBzImage(gzipSync(Buffer.from('hello world'))));
    expect(await extractVmlinux(notElf, join(work, 'x'))).toEqual({ ok: false, reason: expect.stringMatching(/not an ELF/) });

    const noPvh = join(work, 'nopvh.bzImage');
    writeFileSync(noPvh, fakeBzImage(gzipSync(fakeElf('Xen', 5))));
    expect(await extractVmlinux(noPvh, join(work, 'y'))).toEqual({ ok: false, reason: expect.stringMatching(/PVH/) });

    const broken = join(work, 'broken.bzImage');
    writeFileSync(broken, fakeBzImage(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.alloc(50, 7)])));
    expect(await extractVmlinux(broken, join(work, 'z'))).toEqual({ ok: false, reason: expect.stringMatching(/decompress/) });
    expect(existsSync(join(work, 'z'))).toBe(false);
  });
});
