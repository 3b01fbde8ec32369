import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { statusOf } from '../migration/helpers';

// `colo up` that fails once the primary is up, through the real CLI: the primary on this
// machine, the secondary on a namespace host whose state directory (QEMU_LAB_REMOTE_STATE_DIR)
// is a file, so its QEMU cannot get a run directory there. colo up must leave what was there
// before — end a primary it booted, keep one that ran before — and say which.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'colo-failure-local-state');
let remote: RemoteLab;
const cli = (...args: string[]) => {
  remote.hosts.assertAlive();
  return runCliProcess(['-f', remote.lab, '--accept-new-host-key', ...args], { cwd: remote.labDir, env: { ...remote.env, QEMU_LAB_STATE_DIR: state } });
};

beforeAll(() => {
  remote = createRemoteLab('colo-failure', { hosts: 1 });
  writeFileSync(remote.remoteState, 'a file where the state directory of lab-b should be\n');
  remote.writeLab([
    'hosts:',
    ...remote.hostLines(['lab-b']),
    'vms:',
    '  vm1:',
    '    memory: 256M',
    '    accel: tcg',
    '    machine: pc',
    '    faultTolerance: { mode: colo, secondary: lab-b, checkpointDelay: 600s }',
  ]);
});

afterAll(async () => {
  if (remote !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    remote.hosts.destroy();
  }
  expect(qemuProcessesMentioning(state)).toEqual([]);
  expect(qemuProcessesMentioning(remote.remoteState)).toEqual([]);
});

describe('colo up whose secondary cannot start (TCG)', () => {
  it('ends the primary it had booted itself, and says so', async () => {
    const run = await cli('colo', 'up', 'vm1');
    // The whole output in every message: ci23 saw this fail once with only its first line shown.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr, run.stderr).toMatch(/primary: booting[\s\S]*secondary: starting QEMU on "lab-b"/);
    expect(run.stderr, run.stderr).toMatch(/Could not set up the COLO pair of VM "vm1": [\s\S]*[Nn]ot a directory/);
    expect(run.stderr, run.stderr).toMatch(/The primary QEMU that colo up had booted on "local" was ended: nothing of the pair is left\./);
    expect(qemuProcessesMentioning(state)).toEqual([]);
    expect((await statusOf(cli, 'vm1')).state).not.toMatch(/running|paused/);
  }, 400_000);

  it('leaves a primary that ran before running, as a plain VM, and says it is unprotected', async () => {
    const up = await cli('up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    const before = await statusOf(cli, 'vm1');
    expect(before).toMatchObject({ host: 'local', state: 'running' });

    const run = await cli('colo', 'up', 'vm1');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/secondary: starting QEMU on "lab-b"/);
    expect(run.stderr).toMatch(/VM "vm1" keeps running on "local" as before, without fault tolerance: no secondary replicates it\./);
    expect(await statusOf(cli, 'vm1')).toMatchObject({ host: 'local', state: 'running', pid: before.pid });
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([before.pid]);
    // The COLO part was taken off: the guest still answers on its own network.
    const ssh = await cli('ssh', 'vm1', '--', 'uname', '-n');
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toBe('vm1');
  }, 400_000);
});
