import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { QemuDirectBackend } from '../../../extension/core/machines/vm/qemu-direct-backend';
import { runFilesIn, vmRunDir } from '../../../extension/core/machines/vm/run-dir';
import type { VmRecord } from '../../../extension/core/machines/vm/vm-record';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function setup(): { backend: QemuDirectBackend; write: (vmDir: string, extra: Partial<VmRecord>) => string } {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-moved-'));
  roots.push(root);
  const backend = new QemuDirectBackend({ localStateRoot: root, systemFor: () => new LocalHostSystem() });
  const write = (vmDir: string, extra: Partial<VmRecord>): string => {
    const files = runFilesIn(vmRunDir(root, '/labs/qemu-lab.yaml', 'local', vmDir), { vnc: false });
    mkdirSync(dirname(files.record), { recursive: true });
    const record = { version: 1, labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'local', qemuBinary: 'qemu', argv: [], accel: 'tcg', accelWhy: '', nic: 'virtio', network: 'user', ssh: undefined, files, readyMarker: undefined, startedAt: '', ...extra };
    writeFileSync(files.record, JSON.stringify(record));
    return files.record;
  };
  return { backend, write };
}

const home = { labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'local' };

describe('finding a VM that migrated', () => {
  it("follows the home record's movedTo to where the VM runs now", async () => {
    const { backend, write } = setup();
    write('vm1', { movedTo: { host: 'local', slot: 'b', at: '2026-11-25T00:00:00Z' } });
    write('vm1~b', { slot: 'b', startedAt: 'later' });
    const found = await backend.find(home);
    expect(found?.record).toMatchObject({ slot: 'b', startedAt: 'later' });
    expect(found?.alive).toBe(false); // No QEMU here: shown as stopped, where it went.
    expect((await backend.findAt(home))?.record.movedTo).toEqual({ host: 'local', slot: 'b', at: '2026-11-25T00:00:00Z' });
  });

  it('stays at the home record when where it went left nothing, and never loops', async () => {
    const { backend, write } = setup();
    write('vm1', { movedTo: { host: 'local', slot: 'c', at: 'x' } });
    expect((await backend.find(home))?.record.movedTo?.slot).toBe('c');
    write('vm1~c', { slot: 'c', movedTo: { host: 'local', at: 'y' } });
    const found = await backend.find(home); // home → c → home → … stops after a few hops
    expect(found).toBeDefined();
  });

  it('marks a record as moved, keeping the rest of it', async () => {
    const { backend, write } = setup();
    const path = write('vm1', { startedAt: 'boot' });
    await backend.markMoved(home, { host: 'lab-b', at: 'now' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ startedAt: 'boot', movedTo: { host: 'lab-b', at: 'now' } });
    await backend.markMoved({ ...home, slot: 'z' }, { host: 'lab-b', at: 'now' }); // no record there: nothing to do
  });
});
