import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { qemuProcessesMentioning } from '../../support/qemu-processes';

// `qemu-lab ssh VM` for a guest on a remote host: this machine's OpenSSH client reaches the
// guest's port, which is forwarded on the namespace host's own loopback (unreachable from here
// but through the host), via a relay over the lab's SSH connection to that host.
let remote: RemoteLab;
const cli = (...args: string[]) => remote.cli(...args);
const relayFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('qemu-lab-relay-'));

beforeAll(async () => {
  remote = createRemoteLab('remote-ssh', { hosts: 1 });
  remote.writeLab(['hosts:', ...remote.hostLines(['lab-b']), 'vms:', '  vm1: { host: lab-b, memory: 256M, accel: tcg }']);
  const up = await cli('up', 'vm1');
  if (up.code !== 0) throw new Error(`up failed:\n${up.stderr}`);
}, 300_000);

afterAll(async () => {
  if (remote !== undefined) {
    await cli('kill', 'vm1').catch(() => undefined);
    remote.hosts.destroy();
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
    const echo = await cli('ssh', 'vm1', '--argv', '--', 'printf', '%s\\n', hostile);
    expect(echo.code, echo.stderr).toBe(0);
    expect(echo.stdout).toBe(`${hostile}\n`);
    const failing = await cli('ssh', 'vm1', '--argv', '--', 'sh', '-c', 'exit 7');
    expect(failing.code).toBe(7);
    expect(qemuProcessesMentioning(remote.remoteState)).toHaveLength(1); // The VM is untouched.
  });

  it('opens an interactive shell in a terminal (a pty from script(1))', async () => {
    remote.hosts.assertAlive();
    const cliPath = join(__dirname, '../../../dist/cli.js');
    const line = [process.execPath, cliPath, '-f', remote.lab, 'ssh', 'vm1'].map((w) => `'${w}'`).join(' ');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-qec', line, '/dev/null'], { cwd: remote.labDir, env: { ...process.env, ...remote.env }, stdio: ['pipe', 'pipe', 'pipe'] });
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
