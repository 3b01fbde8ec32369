/**
 * The CLI asks for an SSH key's passphrase on the terminal, with echo off, and without a terminal
 * fails saying which key needs its passphrase. A real sshd in a network namespace, a real
 * encrypted key, the real CLI bundle on a real pseudo-terminal.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';
import { runCliInTerminal, runCliProcess } from '../../support/run-cli';

const PASSPHRASE = 'cli key passphrase ✓';
let lab: RemoteLab;

beforeAll(() => {
  lab = createRemoteLab('cli-secrets', { hosts: 1 });
  // The same key the host authorizes, now encrypted.
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', lab.identity]);
  lab.writeLab(['hosts:', ...lab.hostLines(['h1']), 'vms:', '  vm1: { host: h1, image: builtin, memory: 256M }']);
});

afterAll(() => lab?.hosts.destroy());

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('CLI secrets', () => {
  it('without a terminal, fails saying which key needs its passphrase', async () => {
    lab.hosts.assertAlive();
    const run = await runCliProcess(['-f', lab.lab, '--accept-new-host-key', 'hosts'], { cwd: lab.labDir, env: lab.env, noTerminal: true });
    expect(run.code, run.stderr).toBe(1);
    const address = lab.hosts.hosts[0]?.address ?? '';
    expect(run.stdout).toContain(`Permission denied for root@${address}`);
    expect(run.stdout).toContain(`Logging in needs the passphrase of ${lab.identity}, and there is no terminal to ask on.`);
    expect(run.stdout).toContain(`ssh-add ${lab.identity}`);
  });

  // One run covers asking, asking again after a wrong answer, and no echo: `status` on a remote
  // host takes about a minute on a loaded machine.
  it('on a terminal, asks for the passphrase without echoing it, again after a wrong one, and connects', async () => {
    lab.hosts.assertAlive();
    const question = `Passphrase for ${lab.identity}: `;
    const run = await runCliInTerminal(
      ['-f', lab.lab, '--accept-new-host-key', 'status'],
      [
        { when: new RegExp(`${escapeRegExp(question)}$`), type: 'not the passphrase\r' },
        { when: new RegExp(`That passphrase was wrong\\. ${escapeRegExp(question)}$`), type: `${PASSPHRASE}\r` },
      ],
      { cwd: lab.labDir, env: lab.env },
    );
    expect(run.output).toContain(question);
    expect(run.output).not.toContain('not the passphrase');
    expect(run.output).not.toContain(PASSPHRASE);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^vm1\s+h1\s+stopped\s.*never started/m);
  });
});
