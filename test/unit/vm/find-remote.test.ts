import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostRunOptions, HostRunResult } from '../../../extension/core/infrastructure/hosts/host';
import { RemoteHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { LocalTransport } from '../../../extension/core/infrastructure/hosts/transports/local-transport';
import { QemuDirectBackend } from '../../../extension/core/machines/vm/qemu-direct-backend';
import { runFilesIn, vmRunDir } from '../../../extension/core/machines/vm/run-dir';

// A "remote" host that is this machine (its transport runs programs here, as sshd would run
// them there): how many commands a VM look-up takes, and that it still tells our QEMU apart.

class CountingTransport extends LocalTransport {
  runs = 0;
  override run(program: string, args: readonly string[], options?: HostRunOptions): Promise<HostRunResult> {
    this.runs += 1;
    return super.run(program, args, options);
  }
}

const roots: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function setup(): { backend: QemuDirectBackend; transport: CountingTransport; files: ReturnType<typeof runFilesIn> } {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-find-remote-'));
  roots.push(root);
  const transport = new CountingTransport();
  const system = new RemoteHostSystem('lab-b', transport);
  const backend = new QemuDirectBackend({ localStateRoot: join(root, 'local'), remoteStateRoot: root, systemFor: () => system });
  const files = runFilesIn(vmRunDir(root, '/labs/qemu-lab.yaml', 'lab-b', 'vm1'), { vnc: false });
  mkdirSync(dirname(files.record), { recursive: true });
  const record = { version: 1, labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'lab-b', qemuBinary: 'qemu', argv: [], accel: 'tcg', accelWhy: '', nic: 'virtio', network: 'user', ssh: undefined, files, readyMarker: undefined, startedAt: 'then' };
  writeFileSync(files.record, JSON.stringify(record));
  return { backend, transport, files };
}

/** A process with the pidfile's path among its arguments, as our QEMU has. */
async function standIn(pidFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)', pidFile], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  writeFileSync(pidFile, `${child.pid}\n`);
  return child;
}

const key = { labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'lab-b' };

describe('finding a VM on a remote host', () => {
  it('reads its record and pidfile and checks its process in one command', async () => {
    const { backend, transport, files } = setup();
    const child = await standIn(files.pidFile);
    const found = await backend.findAt(key);
    expect(found).toMatchObject({ pid: child.pid, alive: true, record: { vmName: 'vm1', startedAt: 'then' } });
    expect(transport.runs).toBe(1);
  });

  it('tells a pid that is not our QEMU (another program, or gone) from ours', async () => {
    const { backend, files } = setup();
    const other = await standIn(join(dirname(files.pidFile), 'other.pid'));
    writeFileSync(files.pidFile, `${other.pid}\n`);
    expect(await backend.findAt(key)).toMatchObject({ pid: other.pid, alive: false });
    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    expect(await backend.findAt(key)).toMatchObject({ pid: other.pid, alive: false });
    rmSync(files.pidFile);
    expect(await backend.findAt(key)).toMatchObject({ pid: undefined, alive: false });
  });

  it('finds nothing where there is no record, in one command too', async () => {
    const { backend, transport, files } = setup();
    rmSync(files.record);
    expect(await backend.findAt(key)).toBeUndefined();
    expect(transport.runs).toBe(1);
  });
});
