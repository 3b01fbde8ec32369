// Begin's decision for a disk guest moving to another host, on this machine's real file system
// with real qemu-img. The running source is QEMU 7.2's query-block reply for a disk guest
// (test/fixtures/snapshots/) with the paths of this test's files. Both "hosts" are this machine,
// so a base image that differs between two hosts cannot be made here: the namespace integration
// test (same file system too) cannot either.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import type { QmpValue } from '../../../extension/core/infrastructure/qmp/messages';
import type { QmpExecutor } from '../../../extension/core/migration/disk-copy';
import { decideDiskMove, type DiskMoveScene } from '../../../extension/core/migration/disk-move';
import { MigrationError } from '../../../extension/core/migration/errors';

let dir: string;
let base: string;
let overlay: string;
const system = new LocalHostSystem();

/** The source's query-block, its disk at `file` over `backing`. */
function running(file: string, backing: string): QmpExecutor {
  const text = readFileSync(join(__dirname, '../../fixtures/snapshots/query-block-disk-guest.json'), 'utf8');
  const reply = JSON.parse(text.replaceAll('"disk.qcow2"', JSON.stringify(file)).replaceAll('"base.qcow2"', JSON.stringify(backing))) as QmpValue;
  return {
    execute: <T = QmpValue>(command: string): Promise<T> => {
      if (command !== 'query-block') throw new Error(`unexpected ${command}`);
      return Promise.resolve(reply as T);
    },
  };
}

function scene(storage: 'copy' | 'shared', link: QmpExecutor, notes: string[]): DiskMoveScene {
  return { vmName: 'deb', storage, source: { host: 'lab-a', system, link }, destination: { host: 'lab-b', system }, note: (text) => notes.push(text) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'disk-move-'));
  base = join(dir, 'base.qcow2');
  overlay = join(dir, 'disk.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '64M']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', overlay]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('how a disk guest’s disk goes to another host', () => {
  it('copy, overlay only (sync top), when the base image is at the same path there with the same format and size — and says it was not checksummed', async () => {
    const notes: string[] = [];
    const move = await decideDiskMove(scene('copy', running(overlay, base), notes));
    expect(move).toMatchObject({ storage: 'copy', sync: 'top', source: { device: 'virtio0', file: overlay, backing: { file: base, format: 'qcow2' } } });
    expect(notes.join('\n')).toMatch(/same format and size; not checksummed\): only VM "deb"'s own changes, its overlay, are copied/);
  });

  it('copy, the whole disk (sync full), when the destination has no base image at that path — said before anything starts', async () => {
    const notes: string[] = [];
    const move = await decideDiskMove(scene('copy', running(overlay, join(dir, 'not-there.qcow2')), notes));
    expect(move).toMatchObject({ storage: 'copy', sync: 'full' });
    expect(notes.join('\n')).toMatch(/is not on "lab-b": the whole disk \(up to 0\.1 GiB\) is copied/);
  });

  it('refuses a base image on the destination that qemu-img cannot read as its format, saying what to do', async () => {
    const broken = join(dir, 'broken.qcow2');
    execFileSync('sh', ['-c', `head -c 4096 /dev/zero > ${broken}`]);
    const outcome = await decideDiskMove(scene('copy', running(overlay, broken), [])).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(MigrationError);
    expect((outcome as MigrationError).message).toMatch(/^The base image .*broken\.qcow2 on "lab-b" cannot be used: /);
    expect((outcome as MigrationError).hint).toMatch(/or remove it there so the whole disk is copied/);
  });

  it('shared when the destination sees the very file; refused with what to do when it does not', async () => {
    expect(await decideDiskMove(scene('shared', running(overlay, base), []))).toMatchObject({ storage: 'shared', source: { file: overlay } });
    const elsewhere = join(dir, 'elsewhere', 'disk.qcow2');
    const outcome = await decideDiskMove(scene('shared', running(elsewhere, base), [])).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(MigrationError);
    expect((outcome as MigrationError).message).toBe(`storage: shared, but host "lab-b" does not see VM "deb"'s disk ${elsewhere} (or cannot write it).`);
    expect((outcome as MigrationError).hint).toMatch(/Mount the folder .*elsewhere at the same path on "lab-b".*or migrate with storage: copy \(--storage copy\)/);
  });
});
