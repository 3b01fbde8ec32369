import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeKvm, readLocalKvmFacts } from '../../../extension/core/infrastructure/hosts/probes/kvm';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// The real CLI, real QEMU under TCG, the built-in lab guest: boot, SSH in, power off via QMP.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'cli-lab');
const lab = join(labDir, 'qemu-lab.yaml');
// Its own state directory, so the process checks below see this file's QEMUs only: another file
// that failed and left a VM running must fail there, not here.
const state = join(root, 'cli-state');
const env = { QEMU_LAB_STATE_DIR: state };

beforeAll(() => {
  expect(root, 'the integration global setup must set QEMU_LAB_TEST_ROOT').not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'vms:',
      '  vm1: { image: builtin, cpus: 1, memory: 1G, accel: auto, nic: virtio, network: user }',
      '  vm2: { image: builtin, cpus: 1, memory: 512M, accel: tcg, nic: e1000 }',
      '  fast: { memory: 256M, accel: kvm }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  // Whatever a failed test left: power it off hard, so the suite's leftover check stays meaningful.
  for (const vm of ['vm1', 'vm2']) await runCliProcess(['-f', lab, 'down', vm, '--force', '--timeout', '5'], { cwd: labDir, env });
});

describe('qemu-lab up / down on the built-in lab guest (TCG)', () => {
  it('boots vm1 with virtio, answers SSH, and reports the accelerator it picked', async () => {
    const run = await runCliProcess(['-f', lab, 'up', 'vm1', '--exec', 'uname -a; cat /proc/cmdline'], { cwd: labDir, env });
    expect(run.stderr).toMatch(/vm1: SSH ready/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/vm1 is running \(pid \d+, tcg, virtio, ssh root@127\.0\.0\.1 -p \d+\)/);
    expect(run.stdout).toMatch(/accel: auto picked TCG/);
    expect(run.stdout).toMatch(/^Linux vm1 \S+ .*x86_64/m);
  });

  it('never starts a second QEMU for a running VM: the next CLI process reattaches', async () => {
    const before = qemuProcessesMentioning(state).length;
    const run = await runCliProcess(['-f', lab, '--json', 'up', 'vm1'], { cwd: labDir, env });
    expect(run.code, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout) as { alreadyRunning: boolean; pid: number };
    expect(info.alreadyRunning).toBe(true);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toContain(info.pid);
    expect(qemuProcessesMentioning(state).length).toBe(before);
  });

  it('powers vm1 off through ACPI (QMP system_powerdown) and QEMU exits', async () => {
    const run = await runCliProcess(['-f', lab, 'down', 'vm1'], { cwd: labDir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(qemuProcessesMentioning(state)).toEqual([]);
    const again = await runCliProcess(['-f', lab, 'down', 'vm1'], { cwd: labDir, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/VM "vm1" is not running\.\n {2}Start it with qemu-lab up vm1\./);
  });

  it('boots vm2 with an e1000 NIC, runs a command, and powers off in one go', async () => {
    const run = await runCliProcess(['-f', lab, 'up', 'vm2', '--exec', 'cat /sys/class/net/eth0/device/uevent', '--down'], { cwd: labDir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/DRIVER=e1000/);
    expect(run.stderr).toMatch(/vm2: powered off/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });

  it('refuses accel: kvm where KVM is not usable, saying why, and starts nothing', async () => {
    const kvm = judgeKvm(await readLocalKvmFacts());
    const run = await runCliProcess(['-f', lab, 'up', 'fast'], { cwd: labDir, env });
    if (kvm.usable) {
      // On a host with working KVM the VM boots; power it off again.
      expect(run.code, run.stderr).toBe(0);
      await runCliProcess(['-f', lab, 'down', 'fast', '--force'], { cwd: labDir, env });
    } else {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('accel: kvm was asked for, but KVM is not usable on host "local"');
      expect(run.stderr).toContain(kvm.reason);
    }
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });

  it('names the VMs there are when asked for one that is not in the lab', async () => {
    const run = await runCliProcess(['-f', lab, 'up', 'vm3'], { cwd: labDir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has no VM "vm3"/);
    expect(run.stderr).toMatch(/Did you mean "vm1"\?|Its VMs are/);
  });
});
