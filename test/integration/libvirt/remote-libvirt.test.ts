import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';
import { runCliProcess } from '../../support/run-cli';

// A libvirt host reached over SSH (qemu+ssh://): a namespace host with a real sshd and a real
// libvirtd. The lab reaches it over its own SSH connection — the host-key rules of SSH hosts
// apply — and runs virsh there. One boot of the built-in guest.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'remote-libvirt-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const home = join(root, 'remote-libvirt-home');
let hosts: NetnsHosts;
let daemon: LibvirtDaemon;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => {
  hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
  return runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
};

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 1 });
  const host = hosts.hosts[0];
  if (host === undefined) throw new Error('no namespace host');
  daemon = await startLibvirtDaemon({ name: 'remote', host });
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  // An isolated user: its own (empty) known_hosts and no ssh config; the guest cache stays shared.
  env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: join(root, 'remote-libvirt-state'), SSH_AUTH_SOCK: '' };
  copyFileSync(hosts.clientKey, join(home, '.ssh', 'id_ed25519'));
  writeFileSync(
    lab,
    ['hosts:', `  lv: { kind: libvirt, uri: "qemu+ssh://root@${host.address}/system?socket=${daemon.socket}" }`, 'vms:', '  vm1: { host: lv, memory: 512M, accel: tcg }', ''].join('\n'),
  );
}, 240_000);

afterAll(async () => {
  if (hosts === undefined) return;
  await cli('--accept-new-host-key', 'kill', 'vm1').catch(() => undefined);
  daemon?.stop();
  hosts.destroy();
});

describe('a VM on a libvirt host reached over qemu+ssh', () => {
  it("refuses the host's unknown key as for an SSH host, and shows its fingerprint", async () => {
    const run = await cli('up', 'vm1');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(hosts.hosts[0]?.fingerprint ?? 'no fingerprint');
    expect(execFileSync('virsh', ['-c', daemon.uri, '--quiet', 'list', '--all', '--name'], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('with the key accepted, boots the guest as a domain of the far libvirtd and runs a command in it', async () => {
    const run = await cli('--accept-new-host-key', 'up', 'vm1', '--exec', 'uname -n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^vm1$/m);
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(hosts.hosts[0]?.hostKeyLine.split(' ')[1] ?? '?');
    const listed = execFileSync('virsh', ['-c', daemon.uri, '--quiet', 'list', '--name'], { encoding: 'utf8' });
    expect(listed).toMatch(/^qemu-lab-vm1-[0-9a-f]{10}$/m);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'lv', state: 'running', accel: 'tcg' }]);
  });

  it('kills it: the domain is gone from the far libvirtd', async () => {
    const run = await cli('kill', 'vm1');
    expect(run.code, run.stderr).toBe(0);
    expect(execFileSync('virsh', ['-c', daemon.uri, '--quiet', 'list', '--all', '--name'], { encoding: 'utf8' }).trim()).toBe('');
  });
});
