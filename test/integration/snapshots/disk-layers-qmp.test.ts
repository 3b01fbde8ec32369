/**
 * Disk-only snapshots (extension/core/snapshots/disk-layers.ts) against real QEMU — the system's
 * 7.2 and the private 11.1 — with no guest OS: a QEMU with the disk guest's drive
 * (`-drive id=qemu-lab-disk`, as argv.ts gives it) on a disk in its folder; writes go through
 * QEMU's block layer (HMP `qemu-io`), as a guest's writes do. Two layers are taken and committed
 * back one by one, and after QEMU quits the disk holds every write and checks clean; powered
 * down, the disk goes back to a disk-only snapshot. The same
 * with a booted Debian guest is in test/integration/disk-guest/disk-guest.test.ts (7.2).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { commitDiskLayer, saveDiskOnlySnapshot } from '../../../extension/core/snapshots/disk-layers';
import { SnapshotError, SnapshotExistsError, SnapshotNotFoundError } from '../../../extension/core/snapshots/errors';
import { readLayers } from '../../../extension/core/snapshots/layer-record';
import { revertDiskLayer } from '../../../extension/core/snapshots/layer-revert';
import { listSnapshots, type SnapshotSubject } from '../../../extension/core/snapshots/vm-snapshots';
import { NEW_QEMU_ENV } from '../../support/new-qemu';
import { qcow2Holds } from '../../support/qemu-io';
import { TestQemus, type QemuWithQmp } from '../../support/qemu-with-qmp';

const MIB = 1024 * 1024;
const started = new TestQemus();
const system = new LocalHostSystem();

// Only the QEMUs this file started, by their process.
afterAll(() => started.endAll());

/** A QEMU with the disk guest's drive and no OS, its QMP client connected. */
async function startQemu(binary: string, dir: string, disk: string): Promise<QemuWithQmp> {
  return started.start(binary, dir, 'layers', ['-machine', 'none', '-display', 'none', '-nodefaults', '-drive', `if=none,id=qemu-lab-disk,file=${disk},format=qcow2,cache=writeback`]);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const qemus = [{ name: 'QEMU 7.2 (system)', binary: 'qemu-system-x86_64' }, { name: 'QEMU 11.1 (private root)', binary: process.env[NEW_QEMU_ENV] ?? '' }];

describe('disk-only snapshots over real QEMU: blockdev-add + blockdev-snapshot, then block-commit back', () => {
  it.each(qemus)('$name: two layers taken while writes go on, committed back newest first; the disk keeps every write', async ({ binary }) => {
    expect(binary, `${NEW_QEMU_ENV} is set by global-setup`).not.toBe('');
    const dir = mkdtempSync(join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'disk-layers-qmp-'));
    const folder = join(dir, 'disks', '0123456789-vm1');
    mkdirSync(folder, { recursive: true });
    const base = join(dir, 'image.qcow2');
    const disk = join(folder, 'disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x11 0 ${MIB}`, base], { stdio: 'pipe' });
    const baseSum = sha(base);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', disk]);
    const { client, child } = await startQemu(binary, dir, disk);
    const subject: SnapshotSubject = { vmName: 'vm1', qmp: client, pair: undefined, layers: { system, folder: { disk } } };
    const write = (pattern: number, at: number) => client.execute('human-monitor-command', { 'command-line': `qemu-io qemu-lab-disk "write -P ${pattern} ${at * MIB} ${MIB}"` });

    await write(0xaa, 1);
    const first = await saveDiskOnlySnapshot(subject, 's1');
    expect(first.layer?.file).toBe(join(folder, 'layer-s1.qcow2'));
    const diskSum = sha(disk);
    await write(0xbb, 2);
    expect(sha(disk)).toBe(diskSum);
    await expect(saveDiskOnlySnapshot(subject, 's1')).rejects.toBeInstanceOf(SnapshotExistsError);
    await saveDiskOnlySnapshot(subject, 's2');
    await write(0xcc, 3);
    expect((await listSnapshots(subject)).map((s) => [s.name, s.kind, s.layer?.file])).toEqual([
      ['s1', 'disk-only', join(folder, 'layer-s1.qcow2')],
      ['s2', 'disk-only', join(folder, 'layer-s2.qcow2')],
    ]);

    expect((await commitDiskLayer(subject)).name).toBe('s2');
    expect(existsSync(join(folder, 'layer-s2.qcow2'))).toBe(false);
    expect((await readLayers(system, { disk })).map((l) => l.name)).toEqual(['s1']);
    await write(0xdd, 4);
    expect((await commitDiskLayer(subject)).name).toBe('s1');
    expect(existsSync(join(folder, 'layer-s1.qcow2'))).toBe(false);
    expect(await readLayers(system, { disk })).toEqual([]);
    await expect(commitDiskLayer(subject)).rejects.toThrow(SnapshotError);
    await expect(commitDiskLayer(subject)).rejects.toThrow(/has no disk-only snapshot to commit/);
    await write(0xee, 5);

    await client.execute('quit').catch(() => undefined);
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    for (const [pattern, at] of [[0x11, 0], [0xaa, 1], [0xbb, 2], [0xcc, 3], [0xdd, 4], [0xee, 5]] as const) expect(qcow2Holds(disk, pattern, at * MIB, MIB), `0x${pattern.toString(16)} at ${at} MiB`).toBe(true);
    expect(execFileSync('qemu-img', ['check', '-f', 'qcow2', disk], { encoding: 'utf8' })).toMatch(/No errors were found/);
    expect(sha(base)).toBe(baseSum);
  }, 120_000);

  it('powered down, the disk goes back to a disk-only snapshot: a new empty layer over the same file, newer layers removed; the snapshot stays', async () => {
    const dir = mkdtempSync(join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'disk-layers-revert-'));
    const folder = join(dir, 'disks', '0123456789-vm1');
    mkdirSync(folder, { recursive: true });
    const disk = join(folder, 'disk.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
    const { client, child } = await startQemu('qemu-system-x86_64', dir, disk);
    const store = { system, folder: { disk } };
    const subject: SnapshotSubject = { vmName: 'vm1', qmp: client, pair: undefined, layers: store };
    const write = (pattern: number, at: number) => client.execute('human-monitor-command', { 'command-line': `qemu-io qemu-lab-disk "write -P ${pattern} ${at * MIB} ${MIB}"` });
    await write(0xaa, 1);
    await saveDiskOnlySnapshot(subject, 's1');
    await write(0xbb, 1);
    await saveDiskOnlySnapshot(subject, 's2');
    await write(0xcc, 1);
    await client.execute('quit').catch(() => undefined);
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    const s1 = join(folder, 'layer-s1.qcow2');
    expect(qcow2Holds(s1, 0xbb, MIB, MIB)).toBe(true);

    expect(await revertDiskLayer(store, 'vm1', 's1')).toMatchObject({ snapshot: { name: 's1' }, removed: ['s2'] });
    expect((await readLayers(system, { disk })).map((l) => l.name)).toEqual(['s1']);
    expect(existsSync(join(folder, 'layer-s2.qcow2'))).toBe(false);
    // The newest layer is new and empty over the disk: what the guest saw when s1 was taken.
    expect(qcow2Holds(s1, 0xaa, MIB, MIB)).toBe(true);
    expect(execFileSync('qemu-img', ['info', '--output=json', s1], { encoding: 'utf8' })).toContain(`"backing-filename": "${disk}"`);
    expect(execFileSync('qemu-img', ['check', '-f', 'qcow2', s1], { encoding: 'utf8' })).toMatch(/No errors were found/);
    await expect(revertDiskLayer(store, 'vm1', 'nope')).rejects.toBeInstanceOf(SnapshotNotFoundError);
    await expect(revertDiskLayer(store, 'vm1', 'nope')).rejects.toThrow(/it has: s1/);
  }, 120_000);

  it('a QEMU without the disk guest\'s drive (the built-in guest) is refused: it has no disk of its own', async () => {
    const dir = mkdtempSync(join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'disk-layers-builtin-'));
    const { client } = await started.start('qemu-system-x86_64', dir, 'builtin', ['-machine', 'none', '-display', 'none', '-nodefaults']);
    const subject: SnapshotSubject = { vmName: 'lab1', qmp: client, pair: undefined, layers: { system, folder: { disk: join(dir, 'disks', 'x-lab1', 'disk.qcow2') } } };
    await expect(saveDiskOnlySnapshot(subject, 's1')).rejects.toThrow(/has no disk of its own \(the built-in lab guest/);
    await client.execute('quit').catch(() => undefined);
  }, 60_000);
});
