import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionalHostGate } from '../../../extension/core/infrastructure/hosts/host-gate';
import { HostAccessRefusedError } from '../../../extension/core/infrastructure/hosts/host-errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { sleep } from '../../../extension/core/infrastructure/support/sleep';
import { readCloudInitState } from '../../../extension/core/machines/disk-guest/cloud-init-state';
import { DiskImageError } from '../../../extension/core/machines/disk-guest/errors';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { readVmDisks } from '../../../extension/core/machines/disk-guest/vm-disks';
import { layerFileName, writeLayers } from '../../../extension/core/snapshots/layer-record';
import { vmSpec } from '../../support/vm-spec';

// What the tree shows of a disk guest's disk, read with the real qemu-img through LocalHostSystem
// from a real overlay (written by qemu-io as a guest would) on a real raw base, while qemu-nbd
// holds it open for writing as a running QEMU does. No VM boots here.
const root = join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'vm-disks-test');
const labPath = join(root, 'qemu-lab.yaml');
const system = new LocalHostSystem();
const MIB = 1024 * 1024;
const base = join(root, 'images', 'base.raw');
const disk = vmDiskPath(join(root, 'state'), labPath, 'local', 'web');
let nbd: ChildProcess | undefined;

const qemuImg = (...args: string[]): void => void execFileSync('qemu-img', args, { stdio: 'ignore' });
const qemuIo = (file: string, command: string): void => void execFileSync('qemu-io', ['-f', 'qcow2', '-c', command, file], { stdio: 'ignore' });

beforeAll(() => {
  mkdirSync(join(root, 'images'), { recursive: true });
  qemuImg('create', '-q', '-f', 'raw', base, String(64 * MIB));
  execFileSync('dd', ['if=/dev/urandom', `of=${base}`, 'bs=1M', 'count=8', 'conv=notrunc'], { stdio: 'ignore' });
});

afterAll(() => {
  if (nbd?.pid !== undefined && nbd.exitCode === null) process.kill(nbd.pid, 'SIGKILL');
});

describe("a disk guest's disks as the tree reads them (real qemu-img)", () => {
  it('a VM that never booted has no disk yet and no seed yet: states, not errors', async () => {
    expect(await readVmDisks(system, disk)).toEqual({ kind: 'none', disk });
    const vm = vmSpec({ name: 'web', image: base, login: { kind: 'cloud-init', user: 'debian' } });
    expect(await readCloudInitState(system, join(root, 'state'), labPath, vm, undefined)).toMatchObject({ kind: 'no-seed' });
  });

  it('reads the overlay and its raw base: sizes, allocation, backing file', async () => {
    mkdirSync(join(disk, '..'), { recursive: true });
    qemuImg('create', '-q', '-f', 'qcow2', '-b', base, '-F', 'raw', disk, String(1024 * MIB));
    qemuIo(disk, 'write -P 0xab 0 4M');
    const read = await readVmDisks(system, disk);
    if (read.kind !== 'chain') throw new Error('no chain');
    expect(read.files.map((f) => [f.path, f.format, f.virtualSize, f.backingFile])).toEqual([
      [disk, 'qcow2', 1024 * MIB, base],
      [base, 'raw', 64 * MIB, undefined],
    ]);
    const [overlay, raw] = read.files;
    // The 4 MiB the "guest" wrote are allocated in the overlay (plus qcow2 metadata); the base holds its 8 MiB of data.
    expect(overlay?.actualSize).toBeGreaterThanOrEqual(4 * MIB);
    expect(overlay?.actualSize).toBeLessThan(8 * MIB);
    expect(raw?.actualSize).toBeGreaterThanOrEqual(8 * MIB);
  });

  it('starts at the newest snapshot layer when there are layers', async () => {
    const layer = join(disk, '..', layerFileName('s1'));
    qemuImg('create', '-q', '-f', 'qcow2', '-b', disk, '-F', 'qcow2', layer);
    await writeLayers(system, { disk }, [{ name: 's1', file: layerFileName('s1'), created: new Date().toISOString() }]);
    try {
      const read = await readVmDisks(system, disk);
      expect(read.kind === 'chain' ? read.files.map((f) => f.path) : []).toEqual([layer, disk, base]);
    } finally {
      await writeLayers(system, { disk }, []);
    }
  });

  it('reads while another process holds the disk open for writing (a running VM), thanks to -U', async () => {
    const socket = join(root, 'nbd.sock');
    nbd = spawn('qemu-nbd', ['-f', 'qcow2', '-k', socket, '--persistent', disk], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i += 1) await sleep(100);
    expect(existsSync(socket)).toBe(true);
    // Without -U qemu-img is refused: the lock is really held.
    expect(() => execFileSync('qemu-img', ['info', disk], { stdio: 'pipe' })).toThrow(/lock/);
    const read = await readVmDisks(system, disk);
    expect(read.kind === 'chain' ? read.files.length : 0).toBe(2);
    if (nbd.pid !== undefined) process.kill(nbd.pid, 'SIGTERM');
  });

  it("a disk qemu-img cannot read is a DiskImageError in plain words; a seed that exists is attached", async () => {
    const broken = vmDiskPath(join(root, 'state'), labPath, 'local', 'broken');
    mkdirSync(join(broken, '..'), { recursive: true });
    writeFileSync(broken, 'not an image at all, just text');
    const error: unknown = await readVmDisks(system, broken).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DiskImageError);
    expect((error as DiskImageError).message).toContain(broken);
    const seeds = join(root, 'state', 'labs');
    const vm = vmSpec({ name: 'web', image: base, login: { kind: 'cloud-init', user: 'debian' } });
    const state = await readCloudInitState(system, join(root, 'state'), labPath, vm, undefined);
    if (state.kind !== 'no-seed') throw new Error('expected no seed');
    expect(state.seed.startsWith(seeds)).toBe(true);
    mkdirSync(join(state.seed, '..'), { recursive: true });
    writeFileSync(state.seed, '');
    expect(await readCloudInitState(system, join(root, 'state'), labPath, vm, undefined)).toEqual({ kind: 'seed-attached', seed: state.seed, labKeyLogin: false });
  });

  it('in Restricted Mode nothing runs: the read is refused before qemu-img starts', async () => {
    const closed = new LocalHostSystem(new ConditionalHostGate(() => false, { reason: 'this workspace is not trusted', hint: 'Trust it.' }));
    await expect(readVmDisks(closed, disk)).rejects.toBeInstanceOf(HostAccessRefusedError);
  });
});
