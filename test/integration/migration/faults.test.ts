import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { readLabFile } from '../../../extension/core/lab/load';
import type { LabModel } from '../../../extension/core/lab/model';
import { MigrationCancelledError, MigrationError } from '../../../extension/core/migration/errors';
import { migrateVm } from '../../../extension/core/migration/migrate';
import type { MigrationEnd } from '../../../extension/core/migration/qmp-link';
import type { MigrationOptions } from '../../../extension/core/migration/request';
import type { MigrationSummary } from '../../../extension/core/migration/summary';
import type { QmpClient } from '../../../extension/core/infrastructure/qmp/client';
import { runInGuest } from '../../../extension/core/machines/guest-access/guest-ssh';
import { upVm } from '../../../extension/core/machines/vm/up';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

// Injected faults, each on a local → local migration (real QEMU, TCG) driven through the core
// API: whatever fails, the VM keeps running on its source and no destination QEMU is left.
// The bandwidth is limited to 16 MiB/s so that a migration lasts long enough (~6 s) to hit.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'migration-faults-state');
const local = new LocalHostSystem();
const deps = vmDependencies({ env: process.env, stateRoot: state, systemFor: () => local });
const backend = deps.backend;
let lab: LabModel;
const home = () => ({ labPath: lab.path, vmName: 'vm1', host: 'local' });
const SLOW = 16 * 1024 * 1024;

async function running(): Promise<{ pid: number }> {
  const instance = await backend.find(home());
  if (instance === undefined || !instance.alive || instance.pid === undefined) throw new Error('vm1 is not running');
  expect((await backend.status(instance)).state).toBe('running');
  return { pid: instance.pid };
}

/** The guest answers over SSH (it runs, and its network works). */
async function answers(): Promise<void> {
  const instance = await backend.find(home());
  if (instance?.record.ssh === undefined) throw new Error('no SSH endpoint');
  const result = await runInGuest(local, instance.record.ssh, ['uname', '-n'], { timeoutMs: 30_000 });
  expect(result.stdout.trim()).toBe('vm1');
}

function migrate(options: MigrationOptions, maxBandwidth = SLOW): Promise<MigrationSummary> {
  return migrateVm({ lab, vmName: 'vm1', to: 'local', allowSameHost: true, settings: { capabilities: [], maxBandwidthBytesPerSecond: maxBandwidth } }, deps, options);
}

async function expectRolledBack(promise: Promise<unknown>, source: { pid: number }): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  expect((await running()).pid).toBe(source.pid);
  expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([source.pid]);
  for (const slot of ['b', 'c']) {
    const left = await backend.findAt({ ...home(), slot });
    expect(left?.alive ?? false).toBe(false);
    if (left !== undefined) expect(left.record.movedTo, `slot ${slot} holds a record that is not a pointer`).toBeDefined();
  }
  await answers();
  return error as MigrationError;
}

beforeAll(async () => {
  const dir = join(root, 'migration-faults-lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'qemu-lab.yaml'), 'vms:\n  vm1: { memory: 512M, accel: tcg }\n');
  const loaded = await readLabFile(join(dir, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  lab = loaded.lab;
  await upVm(lab, 'vm1', deps);
  // Fill guest RAM with data that is not zero, so that each migration has ~100 MiB to send.
  const instance = await backend.find(home());
  if (instance?.record.ssh === undefined) throw new Error('no ssh');
  await runInGuest(local, instance.record.ssh, ['sh', '-c', 'head -c 100000000 /dev/urandom > /tmp/fill']);
});

afterAll(async () => {
  const instance = await backend.find(home());
  if (instance?.alive) await backend.kill(instance);
  expect(qemuProcessesMentioning(state)).toEqual([]);
  rmSync(state, { recursive: true, force: true });
});

describe('a migration that fails leaves the VM running on its source and no destination (TCG)', () => {
  it('destination QEMU killed mid-migration', async () => {
    const source = await running();
    let killed = false;
    const error = await expectRolledBack(
      migrate({
        onProgress: (p) => {
          if (killed || (p.transferredBytes ?? 0) < 20 * 1024 * 1024) return;
          killed = true;
          for (const qemu of qemuProcessesMentioning(state)) if (qemu.pid !== source.pid) process.kill(qemu.pid, 'SIGKILL');
        },
      }),
      source,
    );
    expect(killed).toBe(true);
    expect(error.phase).toBe('perform');
    expect(error.message).toMatch(/The migration failed: .*(Broken pipe|reset|closed)/i);
    expect(error.summary?.status).toBe('failed');
    expect(error.summary?.ram.transferredBytes).toBeGreaterThan(20 * 1024 * 1024);
  });

  it('cancelled while the destination starts (prepare)', async () => {
    const source = await running();
    const abort = new AbortController();
    const error = await expectRolledBack(migrate({ signal: abort.signal, onPhase: (phase) => phase === 'prepare' && abort.abort() }), source);
    expect(error).toBeInstanceOf(MigrationCancelledError);
    expect(error.phase).toBe('prepare');
  });

  it('cancelled while memory is sent (perform): migrate_cancel', async () => {
    const source = await running();
    const abort = new AbortController();
    const error = await expectRolledBack(migrate({ signal: abort.signal, onProgress: (p) => (p.transferredBytes ?? 0) > 10 * 1024 * 1024 && abort.abort() }), source);
    expect(error).toBeInstanceOf(MigrationCancelledError);
    expect(error.summary?.status).toBe('cancelled');
  });

  it("the destination's QMP socket stops answering for good: the source had completed, so it is resumed", async () => {
    const source = await running();
    let destination: QmpClient | undefined;
    let broken = false;
    const error = await expectRolledBack(
      migrate({
        onQmpConnected: (end: MigrationEnd, client) => {
          if (end === 'destination' && destination === undefined) destination = client;
        },
        onProgress: (p) => {
          if (broken || p.status !== 'active' || destination === undefined) return;
          broken = true;
          // The QMP socket goes away: the link cannot connect again; QEMU itself keeps running.
          const socket = qemuProcessesMentioning(state).find((q) => q.pid !== source.pid)?.argv.find((a) => a.includes('id=qmp0'));
          const path = /path=(.*?),server/.exec(socket ?? '')?.[1];
          if (path !== undefined) rmSync(path);
          void destination.disconnect();
        },
      }),
      source,
    );
    expect(broken).toBe(true);
    expect(error.phase).toBe('finish');
    expect(error.message).toMatch(/could not connect again|is gone/);
  });

  it("the destination's QMP connection drops once: the link connects again and the migration completes", async () => {
    const before = await running();
    let dropped = false;
    let destination: QmpClient | undefined;
    const summary = await migrate({
      onQmpConnected: (end, client) => {
        if (end === 'destination') destination ??= client;
      },
      onProgress: (p) => {
        if (!dropped && p.status === 'active' && destination !== undefined) {
          dropped = true;
          void destination.disconnect();
        }
      },
    });
    expect(dropped).toBe(true);
    expect(summary.status).toBe('completed');
    const after = await running();
    expect(after.pid).not.toBe(before.pid);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([after.pid]);
    await answers();
  });

  it("the source's QMP connection drops mid-migration: the link connects again and the migration completes", async () => {
    const before = await running();
    let samples = 0;
    let source: QmpClient | undefined;
    const summary = await migrate({
      onQmpConnected: (end, client) => {
        if (end === 'source') source ??= client;
      },
      onProgress: () => {
        samples += 1;
        if (samples === 3) void source?.disconnect();
      },
    });
    expect(samples).toBeGreaterThan(3);
    expect(summary.status).toBe('completed');
    const after = await running();
    expect(after.pid).not.toBe(before.pid);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([after.pid]);
    await answers();
  });
});
