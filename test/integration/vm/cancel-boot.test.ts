import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { readLabFile } from '../../../extension/core/lab/load';
import type { LabModel } from '../../../extension/core/lab/model';
import type { BootStage } from '../../../extension/core/machines/vm/backend';
import { upVm } from '../../../extension/core/machines/vm/up';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

// A boot cancelled at the earliest moment: QEMU has just been started and has not written its
// pidfile yet, so its pid is not known. Whatever it took, no QEMU of this state dir may be left.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'cancel-boot-state');
const local = new LocalHostSystem();
const deps = vmDependencies({ env: process.env, stateRoot: state, systemFor: () => local });
let lab: LabModel;

beforeAll(async () => {
  const dir = join(root, 'cancel-boot-lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'qemu-lab.yaml'), 'vms:\n  vm1: { memory: 256M, accel: tcg }\n');
  const loaded = await readLabFile(join(dir, 'qemu-lab.yaml'));
  if (loaded.lab === undefined) throw new Error('lab did not load');
  lab = loaded.lab;
});

afterAll(() => {
  // Only what this file started: QEMUs whose argv names its state dir.
  for (const left of qemuProcessesMentioning(state)) process.kill(left.pid, 'SIGKILL');
  rmSync(state, { recursive: true, force: true });
});

describe('a boot cancelled before QEMU wrote its pidfile (TCG)', () => {
  it('ends the QEMU it had started: none is left, and the VM is not running', async () => {
    const abort = new AbortController();
    const stages: BootStage[] = [];
    const error = await upVm(lab, 'vm1', deps, {
      signal: abort.signal,
      onStage: (stage) => {
        stages.push(stage);
        // Called just before QEMU is started: the launcher sees the cancel at its first look, before the pidfile.
        if (stage === 'starting QEMU') abort.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(stages).toEqual(['starting QEMU']);
    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).message).toMatch(/cancelled/i);
    expect(qemuProcessesMentioning(state)).toEqual([]);
    // QEMU was started for real (its pidfile names it) and is gone: not a cancel that started nothing.
    const instance = await deps.backend.find({ labPath: lab.path, vmName: 'vm1', host: 'local' });
    expect(instance?.alive ?? false).toBe(false);
    const pidFile = instance?.record.files.pidFile;
    expect(pidFile).toBeDefined();
    expect(Number(readFileSync(pidFile ?? '', 'utf8').trim())).toBeGreaterThan(1);
  });
});
