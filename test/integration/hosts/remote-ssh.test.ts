import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// `qemu-lab ssh VM` for a guest on a remote host: this machine's OpenSSH client reaches the
// guest's port, which is forwarded on the namespace host's own loopback (unreachable from here
// but through the host), via a relay over the lab's SSH connection to that host.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'remote-ssh-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const home = join(root, 'remote-ssh-home');
const remoteState = join(root, 'remote-ssh-state');
let hosts: NetnsHosts;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => {
  hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
  return runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
};
const relayFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('qemu-lab-relay-'));

beforeAll(async () => {
  hosts = createNetnsHosts({ hosts: 1 });
  const host = hosts.hosts[0];
  if (host === undefined) throw new Error('no namespace host');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: remoteState, SSH_AUTH_SOCK: '' };
  copyFileSync(hosts.clientKey, join(home, '.ssh', 'id_ed25519'));
  writeFileSync(
    lab,
    [
      'hosts:',
      `  lab-b: { kind: ssh, address: ${host.address}, user: root, identity: ${join(home, '.ssh', 'id_ed25519')} }`,
      'vms:',
      '  vm1: { host: lab-b, memory: 256M, accel: tcg }',
      '',
    ].join('\n'),
  );
  const up = await cli('--accept-new-host-key', 'up', 'vm1');
  if (up.code !== 0) throw new Error(`up failed:\n${up.stderr}`);
}, 300_000);

afterAll(async () => {
  if (hosts !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    hosts.destroy();
  }
});

describe('qemu-lab ssh into a guest on a remote host (network-namespace host, TCG)', () => {
  it('runs one command in the guest through the host and prints its output', async () => {
    const expected = await cli('up', 'vm1', '--exec', 'uname -r');
    expect(expected.code, expected.stderr).toBe(0);
    const kernel = /^\d+\.\d+\.\d+\S*$/m.exec(expected.stdout)?.[0];
    expect(kernel).toBeDefined();

    const before = relayFolders();
    const run = await cli('ssh', 'vm1', '--', 'uname', '-r');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(kernel);
    // The relay's private folder (its UNIX socket) is gone once ssh ended.
    expect(relayFolders().filter((f) => !before.includes(f))).toEqual([]);
  });

  it('passes arguments through the guest shell exactly, and keeps the exit code', async () => {
    const hostile = `a b 'c' "d" $(echo no) \`echo no\` ; exit 9`;
    const echo = await cli('ssh', 'vm1', '--', 'printf', '%s\\n', hostile);
    expect(echo.code, echo.stderr).toBe(0);
    expect(echo.stdout).toBe(`${hostile}\n`);
    const failing = await cli('ssh', 'vm1', '--', 'sh', '-c', 'exit 7');
    expect(failing.code).toBe(7);
    expect(qemuProcessesMentioning(remoteState)).toHaveLength(1); // The VM is untouched.
  });

  it('opens an interactive shell in a terminal (a pty from script(1))', async () => {
    hosts.assertAlive();
    const cliPath = join(__dirname, '../../../dist/cli.js');
    const line = [process.execPath, cliPath, '-f', lab, 'ssh', 'vm1'].map((w) => `'${w}'`).join(' ');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', line, '/dev/null'], { cwd: labDir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => resolve(text));
      // Typed once the guest's shell is there: a marker only the guest's shell can print.
      const typed = setInterval(() => {
        if (text.includes('#')) {
          clearInterval(typed);
          child.stdin.write('echo "in-$(uname -n)-ok"; exit\n');
        }
      }, 100);
      setTimeout(() => {
        clearInterval(typed);
        child.kill('SIGKILL');
      }, 60_000);
    });
    expect(output).toContain('in-vm1-ok');
  });
});
