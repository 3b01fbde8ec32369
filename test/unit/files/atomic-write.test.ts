import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePairRecord, pairRecordPath, type ColoPairRecord } from '../../../extension/core/colo/pair-record';
import { writeFileAtomically, writeFilesAtomically } from '../../../extension/core/infrastructure/files/atomic-write';
import { LocalHostSystem, RemoteHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { LocalTransport } from '../../../extension/core/infrastructure/hosts/transports/local-transport';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('creates the folders and writes the file, leaving no temporary file', async () => {
    const target = join(dir, 'a', 'b', 'report.md');
    await writeFileAtomically(target, '# report\n');
    expect(await readFile(target, 'utf8')).toBe('# report\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['report.md']);
  });

  it('replaces a file whole and keeps its mode', async () => {
    const target = join(dir, 'report.csv');
    await writeFile(target, 'old content that is longer than the new one\n');
    await chmod(target, 0o600);
    await writeFileAtomically(target, new Uint8Array([0x61, 0x0a]));
    expect(await readFile(target, 'utf8')).toBe('a\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('on failure leaves the existing target untouched and removes its temporary file', async () => {
    // The rename fails: the target is a folder. Whatever was there stays as it was.
    const target = join(dir, 'report.md');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'precious');
    await expect(writeFileAtomically(target, 'new')).rejects.toThrow();
    expect(await readFile(join(target, 'keep'), 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('writes several files in order and stops at the first failure', async () => {
    await mkdir(join(dir, 'blocked'));
    const files = [
      { path: join(dir, 'charts', 'one.svg'), content: '<svg/>' },
      { path: join(dir, 'blocked'), content: 'x' },
      { path: join(dir, 'report.md'), content: '# r' },
    ];
    await expect(writeFilesAtomically(files)).rejects.toThrow();
    expect(await readFile(join(dir, 'charts', 'one.svg'), 'utf8')).toBe('<svg/>');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'charts']);
  });
});

/**
 * Every writer of a file that someone else could prepare: a symlink planted at the temporary
 * name the old hand-written writes used (`PATH.PID.tmp`, `PATH.tmp`) must not be written
 * through, and the result is a regular file of mode 0600.
 */
describe('writers never write through a planted temporary name', () => {
  const pair: ColoPairRecord = {
    version: 1,
    labPath: '/lab/qemu-lab.yaml',
    vmName: 'vm1',
    primary: { host: 'local' },
    secondary: { host: 'b' },
    plan: {} as ColoPairRecord['plan'],
    migrationUri: 'tcp:127.0.0.1:4444',
    checkpointDelayMs: 2000,
    qemu: { primary: '8.2', secondary: '8.2' },
    accel: 'tcg',
    startedAt: '2026-01-01T00:00:00.000Z',
    state: 'replicating',
  };
  const transport = new LocalTransport();
  afterAll(() => transport.dispose());

  const writers: readonly { name: string; target: () => string; write: (path: string) => Promise<void> }[] = [
    { name: 'vm.json (this machine)', target: () => join(dir, 'vm.json'), write: (path) => new LocalHostSystem().writeTextAtomically(path, '{"version":1}\n') },
    { name: 'vm.json (a remote host)', target: () => join(dir, 'vm.json'), write: (path) => new RemoteHostSystem('b', transport).writeTextAtomically(path, '{"version":1}\n') },
    { name: 'COLO pair record', target: () => pairRecordPath(dir, pair.labPath, pair.vmName), write: () => writePairRecord(dir, pair) },
  ];

  for (const writer of writers) {
    it(writer.name, async () => {
      const target = writer.target();
      await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
      const victim = join(dir, 'victim');
      await writeFile(victim, 'precious\n');
      for (const planted of [`${target}.${process.pid}.tmp`, `${target}.tmp`]) await symlink(victim, planted);
      await writer.write(target);
      expect(await readFile(victim, 'utf8')).toBe('precious\n');
      const written = await lstat(target);
      expect(written.isFile()).toBe(true);
      expect(written.mode & 0o777).toBe(0o600);
      expect(await readFile(target, 'utf8')).toMatch(/"version": ?1/);
    });
  }
});
