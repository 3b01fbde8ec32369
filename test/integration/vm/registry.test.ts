import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabFile } from '../../../extension/core/lab/load';
import type { LabModel } from '../../../extension/core/lab/model';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { connectSerialConsole } from '../../../extension/core/machines/vm/serial-console';
import { upVm } from '../../../extension/core/machines/vm/up';
import { VmRegistry, type KnownVm } from '../../../extension/core/machines/vm/vm-registry';
import type { VmState } from '../../../extension/core/machines/vm/vm-state';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

// The editor's view of VM state, without the editor: states must follow QMP events.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const stateDir = join(root, 'registry-state');
const local = new LocalHostSystem();
const deps = vmDependencies({ env: process.env, stateRoot: stateDir, systemFor: () => local });
const backend = deps.backend;
let lab: LabModel;
const seen: KnownVm[] = [];
const registry = new VmRegistry(backend, (vm) => seen.push(vm));

async function until(state: VmState, timeoutMs = 30_000): Promise<KnownVm> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const last = seen.at(-1);
    if (last?.state === state) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${state} state within ${timeoutMs} ms; saw ${seen.map((s) => s.state).join(' → ')}`);
}

beforeAll(async () => {
  const dir = join(root, 'registry-lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'qemu-lab.yaml'), 'vms:\n  vm1: { memory: 512M, accel: tcg }\n');
  const loaded = await readLabFile(join(dir, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  lab = loaded.lab;
});

afterAll(async () => {
  await registry.dispose();
  const instance = await backend.find({ labPath: lab.path, vmName: 'vm1', host: 'local' });
  if (instance?.alive) await backend.kill(instance);
});

describe('VmRegistry follows QMP events', () => {
  const key = () => ({ labPath: lab.path, vmName: 'vm1', host: 'local' });

  it('shows a VM never started as stopped, then running once booted', async () => {
    await registry.refresh([key()]);
    expect(registry.get(key()).state).toBe('stopped');
    await upVm(lab, 'vm1', deps);
    await registry.refresh([key()]);
    expect((await until('running')).pid).toBeGreaterThan(0);
  });

  it('opens the serial console: typing a command there shows its output and the prompt', async () => {
    const instance = await backend.find(key());
    if (instance === undefined) throw new Error('vm1 not found');
    const serial = await connectSerialConsole(local, instance.record.files.serialSocket);
    let seen = '';
    serial.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
    serial.write('echo console-$((6*7))\r');
    const deadline = Date.now() + 15_000;
    while (!/console-42[\s\S]*vm1:[^\n]*# ?/.test(seen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    serial.destroy();
    expect(seen).toMatch(/console-42/);
    expect(seen).toMatch(/vm1:[^\n]*#/);
  });

  it('sees pause and resume done by someone else (the CLI socket) through events', async () => {
    const instance = await backend.find(key());
    if (instance === undefined) throw new Error('vm1 not found');
    await backend.pause(instance);
    await until('paused');
    await backend.resume(instance);
    await until('running');
  });

  it('sees an ACPI power-down through to stopped, with a reason', async () => {
    const instance = await backend.find(key());
    if (instance === undefined) throw new Error('vm1 not found');
    await backend.powerDown(instance, { timeoutMs: 30_000, force: false });
    const stopped = await until('stopped');
    expect(stopped.reason).toBeTruthy();
    expect(qemuProcessesMentioning(stateDir)).toEqual([]);
  });

  it('shows a QEMU killed from outside as stopped', async () => {
    const { instance } = await upVm(lab, 'vm1', deps);
    await registry.refresh([key()]);
    await until('running');
    if (typeof instance.pid !== 'number' || instance.pid <= 1) throw new Error('no pid');
    process.kill(instance.pid, 'SIGKILL');
    await until('stopped');
  });
});
