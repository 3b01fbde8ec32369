/**
 * The disk copy's QMP sequences (extension/core/migration/disk-copy.ts) against real QEMU — the
 * system's 7.2 and the private 11.1 — with no guest OS: two QEMUs on one disk each, a source and
 * an `-incoming defer` destination, the migration driven by hand around the copy. This is the
 * whole-disk case (`sync: full`, the destination's disk has no base image) that the namespace
 * test cannot reach (its hosts share one file system, so the base is always on both), with a
 * write during the copy (through the source's block layer, as a guest write goes).
 * The copy with a booted guest, its rollback and shared storage are in disk-namespace.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../extension/core/infrastructure/hosts/system/free-port';
import type { QmpClient } from '../../../extension/core/infrastructure/qmp/client';
import { isQmpObject } from '../../../extension/core/infrastructure/qmp/messages';
import { completeMirror, exportDisk, guestDiskOf, startMirror, stopExport, waitUntilReady } from '../../../extension/core/migration/disk-copy';
import { NEW_QEMU_ENV } from '../../support/new-qemu';
import { qcow2Holds } from '../../support/qemu-io';
import { TestQemus } from '../../support/qemu-with-qmp';

const MIB = 1024 * 1024;
const started = new TestQemus();

// Only the QEMUs this file started, by their process.
afterAll(() => started.endAll());

/** A QEMU with one virtio disk and no OS (SeaBIOS finds nothing to boot), its QMP client connected. */
async function startQemu(binary: string, dir: string, name: string, disk: string, extra: string[] = []): Promise<QmpClient> {
  const { client } = await started.start(binary, dir, name, ['-machine', 'q35', '-accel', 'tcg', '-m', '64', '-display', 'none', '-nodefaults', '-drive', `file=${disk},format=qcow2,if=virtio,cache=writeback`, ...extra]);
  return client;
}

async function statusOf(client: QmpClient, command: 'query-migrate' | 'query-status'): Promise<string> {
  const reply = await client.execute(command);
  return isQmpObject(reply) && typeof reply.status === 'string' ? reply.status : 'unknown';
}

async function waitFor(client: QmpClient, command: 'query-migrate' | 'query-status', wanted: readonly string[]): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await statusOf(client, command);
    if (wanted.includes(status) || status === 'failed' || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const qemus = [{ name: 'QEMU 7.2 (system)', binary: 'qemu-system-x86_64' }, { name: 'QEMU 11.1 (private root)', binary: process.env[NEW_QEMU_ENV] ?? '' }];

describe('the disk copy over real QEMU: NBD export, mirror (sync full), hand-over at the pause before the switch-over', () => {
  it.each(qemus)('$name', async ({ binary }) => {
    expect(binary, `${NEW_QEMU_ENV} is set by global-setup`).not.toBe('');
    const dir = mkdtempSync(join(process.env.QEMU_LAB_TEST_ROOT ?? '', 'disk-copy-qmp-'));
    const base = join(dir, 'base.raw');
    const source = join(dir, 'source.qcow2');
    const destination = join(dir, 'destination.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', base, '64M']);
    execFileSync('qemu-io', ['-f', 'raw', '-c', `write -P 0x11 0 ${4 * MIB}`, base], { stdio: 'pipe' });
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'raw', source]);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0xab ${MIB} ${MIB}`, source], { stdio: 'pipe' });
    // The destination has no base image: an empty disk of the same size, filled by the whole-disk copy.
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', destination, '64M']);

    const src = await startQemu(binary, dir, 'source', source);
    const dst = await startQemu(binary, dir, 'destination', destination, ['-incoming', 'defer']);
    const sourceDisk = guestDiskOf(await src.execute('query-block'));
    const destinationDisk = guestDiskOf(await dst.execute('query-block'));
    expect(sourceDisk).toMatchObject({ device: 'virtio0', file: source, virtualSize: 64 * MIB, backing: { file: base, format: 'raw' } });
    expect(destinationDisk).toMatchObject({ file: destination, backing: undefined });

    const nbdPort = await freeLoopbackPort();
    await exportDisk(dst, { address: '127.0.0.1', port: nbdPort, nodeName: destinationDisk?.nodeName ?? '' });
    await startMirror(src, { address: '127.0.0.1', port: nbdPort, device: sourceDisk?.device ?? '', sync: 'full' });
    const ready = await waitUntilReady(src, { stallMs: 30_000, pollMs: 50 });
    expect(ready.ready).toBe(true);
    expect(ready.totalBytes).toBeGreaterThanOrEqual(5 * MIB); // the base's 4 MiB and the overlay's 1 MiB at least
    // A write while the mirror runs, through the source's block layer as a guest's write goes.
    await src.execute('human-monitor-command', { 'command-line': `qemu-io virtio0 "write -P 0xcd ${3 * MIB} ${MIB}"` });

    await src.execute('migrate-set-capabilities', { capabilities: [{ capability: 'pause-before-switchover', state: true }] });
    const migrationPort = await freeLoopbackPort();
    await dst.execute('migrate-incoming', { uri: `tcp:127.0.0.1:${migrationPort}` });
    await src.execute('migrate', { uri: `tcp:127.0.0.1:${migrationPort}` });
    expect(await waitFor(src, 'query-migrate', ['pre-switchover'])).toBe('pre-switchover');
    // At the pause: the source is stopped, the destination has not taken over.
    expect(await statusOf(src, 'query-status')).not.toBe('running');
    expect(await statusOf(dst, 'query-status')).toBe('inmigrate');
    await completeMirror(src);
    await stopExport(dst);
    expect(JSON.stringify(await src.execute('query-named-block-nodes', { flat: true }))).not.toContain('qemu-lab-disk-copy');
    await src.execute('migrate-continue', { state: 'pre-switchover' });
    expect(await waitFor(src, 'query-migrate', ['completed'])).toBe('completed');
    expect(await waitFor(dst, 'query-status', ['running'])).toBe('running');
    await dst.execute('quit').catch(() => undefined);
    await src.execute('quit').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The destination's disk is whole without any base: the base's bytes, the overlay's, and the write made during the copy.
    expect(qcow2Holds(destination, 0x11, 0, MIB)).toBe(true);
    expect(qcow2Holds(destination, 0xab, MIB, MIB)).toBe(true);
    expect(qcow2Holds(destination, 0x11, 2 * MIB, MIB)).toBe(true);
    expect(qcow2Holds(destination, 0xcd, 3 * MIB, MIB)).toBe(true);
    expect(qcow2Holds(destination, 0x00, 8 * MIB, MIB)).toBe(true);
    expect(execFileSync('qemu-img', ['info', '--output=json', destination]).toString()).not.toContain('backing-filename');
  }, 240_000);
});
