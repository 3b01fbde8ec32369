import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// A VM on a remote host: a network namespace with a real sshd, reached by the real CLI over
// SSH. The namespace shares this machine's file system and QEMU; its VMs keep their state
// under the test root so the suite's leftover check sees them.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'remote-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const home = join(root, 'remote-home');
const remoteState = join(root, 'remote-state');
let hosts: NetnsHosts;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => {
  hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
  return runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
};

beforeAll(() => {
  hosts = createNetnsHosts({ hosts: 1 });
  const host = hosts.hosts[0];
  if (host === undefined) throw new Error('no namespace host');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  // An isolated user: its own (empty) known_hosts and ssh config; the guest cache stays shared.
  env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: remoteState, SSH_AUTH_SOCK: '' };
  copyFileSync(hosts.clientKey, join(home, '.ssh', 'id_ed25519'));
  writeFileSync(
    lab,
    [
      'hosts:',
      `  lab-b: { kind: ssh, address: ${host.address}, user: root, identity: ${join(home, '.ssh', 'id_ed25519')} }`,
      'vms:',
      '  vm1: { host: lab-b, memory: 512M, accel: tcg }',
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('--accept-new-host-key', 'kill', 'vm1').catch(() => undefined);
    hosts.destroy();
  }
});

describe('a VM on a remote host over SSH (network-namespace host, TCG)', () => {
  it('refuses an unknown host key in the CLI and shows its fingerprint', async () => {
    const run = await cli('status');
    expect(run.stdout + run.stderr).toContain(hosts.hosts[0]?.fingerprint ?? 'no fingerprint');
    expect(run.stdout).toMatch(/vm1\s+lab-b\s+connection-lost/);
  });

  it('accepts it with --accept-new-host-key, and remembers it in known_hosts', async () => {
    const run = await cli('--accept-new-host-key', 'hosts');
    expect(run.stdout).toMatch(/^lab-b\n {2}QEMU {5}\d+\.\d+\.\d+/m);
    expect(run.stdout).toMatch(/KVM {6}not usable|KVM {6}usable/);
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(hosts.hosts[0]?.hostKeyLine.split(' ')[1] ?? '?');
  });

  it('boots the lab guest there and runs a command in it through the host', async () => {
    const run = await cli('up', 'vm1', '--exec', 'uname -n; cat /proc/cmdline');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/vm1 is running on lab-b \(pid \d+, tcg, virtio/);
    expect(run.stdout).toMatch(/^vm1$/m);
    expect(qemuProcessesMentioning(remoteState)).toHaveLength(1);
  });

  it('survives the SSH connection closing: the next CLI reattaches and talks QMP over SSH', async () => {
    const status = await cli('--json', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'lab-b', state: 'running', accel: 'tcg' }]);
    const qmp = await cli('qmp', 'vm1', 'query-name');
    expect(JSON.parse(qmp.stdout)).toEqual({ name: 'vm1' });
    const again = await cli('--json', 'up', 'vm1');
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyRunning: true, host: 'lab-b' });
  });

  it('keeps the VM running when every SSH session to the host is cut', async () => {
    hosts.killSessions(hosts.hosts[0] as NonNullable<(typeof hosts.hosts)[0]>);
    expect(qemuProcessesMentioning(remoteState)).toHaveLength(1);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ state: 'running' }]);
  });

  it('powers it off through QMP over SSH; nothing is left running', async () => {
    const run = await cli('down', 'vm1');
    expect(run.code, run.stderr).toBe(0);
    expect(qemuProcessesMentioning(remoteState)).toEqual([]);
  });
});
