import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  cpioArchive,
  encodeCpioEntry,
  type CpioEntry,
} from '../../../extension/core/machines/guest-image/cpio';

const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path));
const work = mkdtempSync(join(tmpdir(), 'qemu-lab-cpio-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const entries: CpioEntry[] = [
  { name: 'bin', mode: S_IFDIR | 0o755 },
  { name: 'bin/hello', mode: S_IFREG | 0o755, data: Buffer.from('#!/bin/sh\necho hello\n') },
  { name: 'bin/sh', mode: S_IFLNK | 0o777, data: Buffer.from('busybox') },
  { name: 'dev', mode: S_IFDIR | 0o755 },
  { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
  { name: 'etc', mode: S_IFDIR | 0o755 },
  { name: 'etc/empty', mode: S_IFREG | 0o644, data: Buffer.alloc(0) },
  // Sizes around the 4-byte padding boundary.
  { name: 'etc/one', mode: S_IFREG | 0o600, data: Buffer.from('1') },
  { name: 'etc/four', mode: S_IFREG | 0o644, data: Buffer.from('4444') },
  { name: 'etc/binary', mode: S_IFREG | 0o644, data: Buffer.from(Array.from({ length: 1027 }, (_, i) => i % 256)) },
];

describe('encodeCpioEntry', () => {
  it('writes a 110-byte newc header, a NUL-terminated name and 4-byte padding', () => {
    const chunks = encodeCpioEntry({ name: 'ab', mode: S_IFREG | 0o644, data: Buffer.from('xyz') }, 7);
    const bytes = Buffer.concat(chunks);
    const header = bytes.toString('latin1', 0, 110);
    expect(header.slice(0, 6)).toBe('070701');
    expect(header.slice(6, 14)).toBe('00000007'); // ino
    expect(header.slice(14, 22)).toBe((S_IFREG | 0o644).toString(16).padStart(8, '0'));
    expect(header.slice(54, 62)).toBe('00000003'); // filesize
    expect(header.slice(94, 102)).toBe('00000003'); // namesize with NUL
    expect(bytes.length % 4).toBe(0);
    expect(bytes.toString('latin1', 110, 113)).toBe('ab\0');
    expect(bytes.toString('latin1', 112 + 4, 112 + 4 + 3)).toBe('xyz');
  });
});

describe.skipIf(BUSYBOX === undefined)('cpio archive read back by busybox cpio', () => {
  const archivePath = join(work, 'test.cpio');

  it('lists every member, in order', async () => {
    writeFileSync(archivePath, await cpioArchive(entries));
    const listing = execFileSync(BUSYBOX as string, ['cpio', '-t', '-F', archivePath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(listing.trim().split('\n')).toEqual(entries.map((entry) => entry.name));
  });

  it('extracts the same contents, modes and symlinks', () => {
    const out = join(work, 'out');
    execFileSync(BUSYBOX as string, ['mkdir', '-p', out]);
    execFileSync(BUSYBOX as string, ['cpio', '-i', '-d', '-F', archivePath], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(readFileSync(join(out, 'bin/hello'), 'utf8')).toBe('#!/bin/sh\necho hello\n');
    expect(statSync(join(out, 'bin/hello')).mode & 0o7777).toBe(0o755);
    expect(readlinkSync(join(out, 'bin/sh'))).toBe('busybox');
    expect(readFileSync(join(out, 'etc/one'), 'utf8')).toBe('1');
    expect(statSync(join(out, 'etc/one')).mode & 0o7777).toBe(0o600);
    expect(readFileSync(join(out, 'etc/four'), 'utf8')).toBe('4444');
    expect(readFileSync(join(out, 'etc/empty')).length).toBe(0);
    expect(readFileSync(join(out, 'etc/binary')).equals(entries[9]?.data as Buffer)).toBe(true);
    if (process.getuid?.() === 0) {
      const console = statSync(join(out, 'dev/console'));
      expect(console.isCharacterDevice()).toBe(true);
      expect(console.rdev).toBe((5 << 8) | 1);
    }
  });

  it('verbose listing shows types and sizes', () => {
    const listing = execFileSync(BUSYBOX as string, ['cpio', '-t', '-v', '-F', archivePath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(listing).toMatch(/^lrwxrwxrwx .* bin\/sh -> busybox$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* 21 .* bin\/hello$/m);
    expect(listing).toMatch(/^drwxr-xr-x .* etc$/m);
  });
});

describe('cpioArchive', () => {
  it('rejects absolute and reserved names', async () => {
    await expect(cpioArchive([{ name: '/etc', mode: S_IFDIR | 0o755 }])).rejects.toThrow(RangeError);
    await expect(cpioArchive([{ name: 'TRAILER!!!', mode: S_IFREG | 0o644 }])).rejects.toThrow(RangeError);
  });

  it('ends with the trailer', async () => {
    const bytes = await cpioArchive([]);
    expect(bytes.toString('latin1')).toContain('TRAILER!!!\0');
    expect(bytes.length % 4).toBe(0);
  });
});
