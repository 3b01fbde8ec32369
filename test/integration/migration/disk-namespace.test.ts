import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import type { NetnsHost, NetnsHosts } from '../../support/netns/netns-hosts';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { fileSha256 as sha256 } from '../../support/file-sha256';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { guestExec, statusOf, type SummaryJson } from './helpers';

// A disk guest (the Debian 12 cloud-style image global-setup builds, on its own overlay with a
// cloud-init seed) migrating between two namespace hosts over SSH, its disk going with it. The
// hosts share this machine's file system, but each VM disk lives at a path of its host's own
// (`disks/<lab>-deb@lab-a/` vs `@lab-b/`), so the destination QEMU never opens the source's
// file: the copy is real. The base image is at the same path on both, so the overlay alone is
// mirrored (sync: top). One boot serves every check (a Debian boot under TCG takes minutes).
let remote: RemoteLab;
let hosts: NetnsHosts;
let a: NetnsHost;
let b: NetnsHost;
let remoteState: string;
let baseSum = '';
const image = process.env.QEMU_LAB_TEST_DISK_IMAGE ?? '';
const figures: string[] = [];
const cli = (...args: string[]) => remote.cli(...args);
const BOOT_S = 1200;

function namespaceOf(pid: number): string {
  return hosts.exec(a, ['ip', 'netns', 'identify', String(pid)]).trim();
}

function qemus(): { pid: number; namespace: string; argv: readonly string[] }[] {
  return qemuProcessesMentioning(remoteState).map((p) => ({ pid: p.pid, namespace: namespaceOf(p.pid), argv: p.argv }));
}

const diskOn = (host: string): string => vmDiskPath(remoteState, remote.lab, host, 'deb');

/** `qemu-lab migrate deb --to HOST …`, running on, its stderr collected. */
function startMigration(to: string, ...extra: string[]): { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<number | null>; stderr: () => string } {
  hosts.assertAlive();
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', remote.lab, '--accept-new-host-key', 'migrate', 'deb', '--to', to, ...extra], {
    cwd: remote.labDir,
    env: { ...process.env, ...remote.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: new Promise<number | null>((resolve) => child.on('close', resolve)), stderr: () => stderr };
}

/** The guest writes 32 MiB of random bytes to its disk (not tmpfs) and says their SHA-256. */
async function writeDiskFile(name: string): Promise<string> {
  const run = await guestExec(cli, 'deb', `head -c 33554432 /dev/urandom > $HOME/${name} && sync && sha256sum $HOME/${name}`);
  expect(run.code, run.stderr).toBe(0);
  return /^([0-9a-f]{64})\s/m.exec(run.stdout)?.[1] ?? `no sum in: ${run.stdout}`;
}

async function readDiskFile(name: string): Promise<string> {
  // Dropping the page cache makes the guest read the file back from its disk, not its memory.
  const run = await guestExec(cli, 'deb', `sync; echo 3 | sudo tee /proc/sys/vm/drop_caches >/dev/null; sha256sum $HOME/${name}`);
  expect(run.code, run.stderr).toBe(0);
  return /^([0-9a-f]{64})\s/m.exec(run.stdout)?.[1] ?? `no sum in: ${run.stdout}`;
}

beforeAll(async () => {
  expect(existsSync(image), `the test disk image (QEMU_LAB_TEST_DISK_IMAGE=${image}) is built by global-setup`).toBe(true);
  baseSum = await sha256(image);
  remote = createRemoteLab('disk-migration', { hosts: 2 });
  ({ hosts, remoteState } = remote);
  [a, b] = hosts.hosts as [NetnsHost, NetnsHost];
  remote.writeLab([
    'hosts:',
    ...remote.hostLines(['lab-a', 'lab-b']),
    'vms:',
    `  deb: { host: lab-a, image: ${JSON.stringify(image)}, memory: 512M, accel: tcg }`,
    'migrations:',
    '  deb-to-b: { vm: deb, to: lab-b }',
  ]);
  const started = Date.now();
  const up = await cli('up', 'deb', '--timeout', String(BOOT_S));
  expect(up.code, up.stderr).toBe(0);
  figures.push(`boot of the Debian disk guest on A: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}, (BOOT_S + 120) * 1000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('kill', 'deb').catch(() => undefined);
    hosts.destroy();
  }
  expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  if (figures.length > 0) console.log(`Disk guest migration figures (TCG, 512 MiB Debian guest):\n  ${figures.join('\n  ')}`);
});

describe('a disk guest migrating between two namespace hosts, its disk with it (TCG)', () => {
  let before = '';

  it('rolls back when the destination QEMU dies mid-copy: the VM runs on A with its disk, B keeps no copy', async () => {
    before = await writeDiskFile('before');
    const [source] = qemus();
    expect(source?.namespace).toBe(a.namespace);
    const sourceDisk = await sha256(diskOn('lab-a'));
    // 2 MiB/s for the copy (the migration's limit holds for it too): the 32 MiB just written take a while.
    const migration = startMigration('lab-b', '--max-bandwidth', '2M', '--stall-timeout', '10');
    const deadline = Date.now() + 120_000;
    while (!/deb: copy [1-9][\d.]*[KMG] of/.test(migration.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(migration.stderr()).toMatch(/deb: copy/);
    const destination = qemus().find((p) => p.namespace === b.namespace);
    expect(destination, migration.stderr()).toBeDefined();
    expect(existsSync(diskOn('lab-b'))).toBe(true);
    // The destination QEMU was started by this test's migration: ended here by its pid.
    process.kill(destination?.pid ?? 0, 'SIGKILL');
    expect(await migration.exited).toBe(1);
    const stderr = migration.stderr();
    expect(stderr).toMatch(/failed in copy|Copying the disk/);
    expect(stderr).toMatch(/runs on "lab-a" as before/);
    expect(stderr).not.toMatch(/rollback could not finish/);
    expect(qemus().map((p) => ({ pid: p.pid, namespace: p.namespace }))).toEqual([{ pid: source?.pid, namespace: a.namespace }]);
    expect(await statusOf(cli, 'deb')).toMatchObject({ host: 'lab-a', state: 'running', pid: source?.pid });
    expect(existsSync(diskOn('lab-b'))).toBe(false);
    // The source's mirror job and NBD client node are gone: the VM's own disk is its only block device besides the seed.
    const blocks = await cli('qmp', 'deb', 'query-named-block-nodes');
    expect(blocks.code, blocks.stderr).toBe(0);
    expect(blocks.stdout).not.toContain('qemu-lab-disk-copy');
    const jobs = await cli('qmp', 'deb', 'query-block-jobs');
    expect(jobs.stdout.replace(/\s/g, '')).toBe('[]');
    expect(await readDiskFile('before')).toBe(before);
    expect(await sha256(diskOn('lab-a'))).not.toBe(''); // still there, and the guest keeps writing it
    expect(sourceDisk).not.toBe('');
  }, 300_000);

  it('moves it A → B copying only the overlay: the file written before reads back on B, A keeps no disk, the base image is unchanged', async () => {
    const written = await writeDiskFile('moved');
    const run = await cli('--json', 'migrate', '--name', 'deb-to-b');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { disk?: { storage: string; sync?: string; copiedBytes?: number; copyMs?: number } };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-a' }, to: { host: 'lab-b' }, disk: { storage: 'copy', sync: 'top' } });
    expect(summary.disk?.copiedBytes).toBeGreaterThan(32 * 1024 * 1024);
    expect(Object.keys(summary.phases)).toEqual(['begin', 'prepare', 'copy', 'perform', 'finish', 'confirm']);
    figures.push(
      `A → B, disk copied (overlay ${((summary.disk?.copiedBytes ?? 0) / 1024 ** 2).toFixed(0)} MiB in ${summary.disk?.copyMs ?? '?'} ms): ` +
        `${summary.wallTimeMs} ms wall (${Object.entries(summary.phases).map(([phase, ms]) => `${phase} ${ms}`).join(', ')} ms), ${summary.downtimeMs} ms downtime`,
    );
    const [running] = qemus();
    expect(qemus()).toHaveLength(1);
    expect(running?.namespace).toBe(b.namespace);
    expect(running?.argv.join(' ')).toContain(`file=${diskOn('lab-b')},`);
    expect(existsSync(diskOn('lab-a'))).toBe(false);
    expect(await statusOf(cli, 'deb')).toMatchObject({ host: 'lab-b', state: 'running' });
    expect(await readDiskFile('moved')).toBe(written);
    expect(await readDiskFile('before')).toBe(before);
    expect(await sha256(image)).toBe(baseSum);
  }, 600_000);

  it('moves it back B → A on shared storage (--storage shared): A opens the same file, nothing is copied', async () => {
    const written = await writeDiskFile('shared');
    const run = await cli('--json', 'migrate', 'deb', '--to', 'lab-a', '--storage', 'shared');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { disk?: { storage: string } };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'lab-b' }, to: { host: 'lab-a' }, disk: { storage: 'shared' } });
    expect(Object.keys(summary.phases)).not.toContain('copy');
    const [running] = qemus();
    expect(running?.namespace).toBe(a.namespace);
    expect(running?.argv.join(' ')).toContain(`file=${diskOn('lab-b')},`);
    expect(existsSync(diskOn('lab-a'))).toBe(false);
    expect(await readDiskFile('shared')).toBe(written);
    expect(await sha256(image)).toBe(baseSum);
  }, 600_000);
});
