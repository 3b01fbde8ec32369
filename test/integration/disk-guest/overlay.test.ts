import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { DiskImageError } from '../../../extension/core/machines/disk-guest/errors';
import { prepareOverlay } from '../../../extension/core/machines/disk-guest/overlay';
import { imageInfo } from '../../../extension/core/machines/disk-guest/qemu-img';
import { sleep } from '../../../extension/core/infrastructure/support/sleep';

// A VM's overlay with real qemu-img (and qemu-io writing as a guest would, qemu-nbd holding a
// lock as a running QEMU does): the base is never written, sizes only grow, and each qemu-img
// failure a user can meet arrives as a DiskImageError in plain words. No VM boots here.
const root = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'overlay-test');
const system = new LocalHostSystem();
const MIB = 1024 * 1024;
const base = join(root, 'base.raw');
const overlay = join(root, 'disks', 'vm1', 'disk.qcow2');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let nbd: ChildProcess | undefined;

async function failure(promise: Promise<unknown>): Promise<DiskImageError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DiskImageError);
  return error as DiskImageError;
}

beforeAll(() => {
  mkdirSync(join(root, 'disks', 'vm1'), { recursive: true });
  const bytes = Buffer.alloc(64 * MIB);
  for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32LE(i, i);
  writeFileSync(base, bytes);
});

afterAll(() => {
  if (nbd?.pid !== undefined && nbd.exitCode === null) process.kill(nbd.pid, 'SIGKILL');
});

describe('a disk guest overlay (real qemu-img)', () => {
  it('is a qcow2 on the base at the size asked; writes land in it, never in the base', async () => {
    const before = sha(base);
    await prepareOverlay(system, { base, baseFormat: 'raw', overlay, sizeBytes: 128 * MIB });
    expect(await imageInfo(system, overlay, { format: 'qcow2' })).toEqual({ format: 'qcow2', virtualSize: 128 * MIB, backingFile: base });
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 1M', overlay], { stdio: 'ignore' });
    expect(sha(base)).toBe(before);
    // The next boot keeps the VM's disk as it is, and grows it when disk: grows.
    await prepareOverlay(system, { base, baseFormat: 'raw', overlay, sizeBytes: 256 * MIB });
    expect((await imageInfo(system, overlay, { format: 'qcow2' })).virtualSize).toBe(256 * MIB);
    expect(execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0xab 0 1M', overlay], { encoding: 'utf8' })).not.toMatch(/Pattern verification failed/);
    expect(sha(base)).toBe(before);
  });

  it('refuses to shrink, to be smaller than the base, or to swap the base under an existing disk', async () => {
    expect((await failure(prepareOverlay(system, { base, baseFormat: 'raw', overlay, sizeBytes: 128 * MIB }))).message).toMatch(/never shrinks/);
    const fresh = join(root, 'disks', 'small.qcow2');
    expect((await failure(prepareOverlay(system, { base, baseFormat: 'raw', overlay: fresh, sizeBytes: 32 * MIB }))).message).toMatch(/smaller than the image/);
    expect(existsSync(fresh)).toBe(false);
    const other = join(root, 'other.raw');
    writeFileSync(other, Buffer.alloc(MIB));
    const swapped = await failure(prepareOverlay(system, { base: other, baseFormat: 'raw', overlay, sizeBytes: undefined }));
    expect(swapped.message).toMatch(/was made from .*base\.raw, not from .*other\.raw/);
    expect(swapped.hint).toMatch(/delete/);
  });

  it('a missing image, a raw file named .qcow2, a corrupt qcow2: each said plainly', async () => {
    const missing = await failure(prepareOverlay(system, { base: join(root, 'nope.qcow2'), baseFormat: 'qcow2', overlay: join(root, 'o1.qcow2'), sizeBytes: undefined }));
    expect(missing.message).toMatch(/does not exist/);
    const misnamed = join(root, 'raw-inside.qcow2');
    writeFileSync(misnamed, Buffer.alloc(MIB));
    expect((await failure(prepareOverlay(system, { base: misnamed, baseFormat: 'qcow2', overlay: join(root, 'o2.qcow2'), sizeBytes: undefined }))).message).toMatch(/not in the format its name says/);
    const corrupt = join(root, 'corrupt.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', corrupt, '64M']);
    const header = readFileSync(corrupt).subarray(0, 512);
    header.writeUInt32BE(99, 4); // the version field: no QEMU knows qcow2 version 99
    writeFileSync(corrupt, header);
    expect((await failure(prepareOverlay(system, { base: corrupt, baseFormat: 'qcow2', overlay: join(root, 'o3.qcow2'), sizeBytes: undefined }))).message).toMatch(/corrupt or cut short/);
  });

  it('a disk another QEMU process holds open for writing is "in use by another QEMU"', async () => {
    const socket = join(root, 'nbd.sock');
    nbd = spawn('qemu-nbd', ['-f', 'qcow2', '-k', socket, '--persistent', overlay], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i += 1) await sleep(100);
    expect(existsSync(socket)).toBe(true);
    const locked = await failure(prepareOverlay(system, { base, baseFormat: 'raw', overlay, sizeBytes: undefined }));
    expect(locked.message).toMatch(/in use by another QEMU/);
    if (nbd.pid !== undefined) process.kill(nbd.pid, 'SIGTERM');
  });
});
