/**
 * Logging in to a real sshd: ssh-agent, keys with passphrases and passwords through the
 * askSecret callback, and clear errors for a wrong key, passphrase or password.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostAuthError } from '../../../extension/core/infrastructure/hosts/host-errors';
import type { SecretPrompt } from '../../../extension/core/infrastructure/hosts/transports/ssh-auth';
import { SshTransport, type SshTransportOptions } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { isolatedSshOptions } from '../../support/netns/ssh-options';

const PASSWORD = "root pw ✓ 'quoted' $(x)";
const PASSPHRASE = 'key passphrase';
let lab: NetnsHosts;
let host: NetnsHost;
let agent: ChildProcess | undefined;
const opened: SshTransport[] = [];

function makeKey(name: string, passphrase: string, authorize: boolean): string {
  const path = join(lab.dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path]);
  if (authorize) appendFileSync(join(lab.dir, 'authorized_keys'), readFileSync(`${path}.pub`));
  return path;
}

function open(spec: { identity?: string }, extra: SshTransportOptions = {}): SshTransport {
  lab.assertAlive();
  const transport = new SshTransport(
    { address: host.address, user: 'root', identity: spec.identity },
    isolatedSshOptions(lab, { connectAttempts: 1, ...extra }),
  );
  opened.push(transport);
  return transport;
}

/** An askSecret that answers from a list and records what it was asked. */
function answering(answers: (string | undefined)[]): { ask: (p: SecretPrompt) => Promise<string | undefined>; prompts: SecretPrompt[] } {
  const prompts: SecretPrompt[] = [];
  return {
    prompts,
    ask: async (prompt) => {
      prompts.push(prompt);
      return answers.length > 1 ? answers.shift() : answers[0];
    },
  };
}

beforeAll(() => {
  lab = createNetnsHosts({ hosts: 1, rootPassword: PASSWORD });
  host = lab.hosts[0]!;
});

beforeEach(() => lab.assertAlive());

afterAll(async () => {
  await Promise.all(opened.map((t) => t.dispose()));
  agent?.kill('SIGKILL');
  lab?.destroy();
});

describe('authentication', () => {
  it('logs in with an unencrypted key file', async () => {
    expect((await open({ identity: lab.clientKey }).run('id', ['-un'])).stdout).toBe('root\n');
  });

  it('refuses a key the host does not know, saying what was tried', async () => {
    const stranger = makeKey('stranger', '', false);
    const error = await open({ identity: stranger }).run('true', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAuthError);
    expect((error as Error).message).toContain(`Permission denied for root@${host.address}`);
    expect((error as Error).message).toContain(`key ${stranger}`);
  });

  it('asks for a key passphrase, again after a wrong one, and logs in', async () => {
    const key = makeKey('encrypted', PASSPHRASE, true);
    const secrets = answering(['wrong', PASSPHRASE]);
    expect((await open({ identity: key }, { askSecret: secrets.ask }).run('echo', ['ok'])).stdout).toBe('ok\n');
    expect(secrets.prompts.map((p) => [p.kind, p.keyFile, p.retry])).toEqual([
      ['passphrase', key, false],
      ['passphrase', key, true],
    ]);
  });

  it('gives up on a key whose passphrase is not given, with a clear error', async () => {
    const key = makeKey('encrypted2', PASSPHRASE, true);
    const error = await open({ identity: key }, { askSecret: async () => undefined }).run('true', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAuthError);
    expect((error as Error).message).toContain(`${key} is encrypted and no passphrase was given`);
  });

  it('logs in with a password from askSecret (kept exactly, quotes and all)', async () => {
    const secrets = answering([PASSWORD]);
    const transport = open({}, { askSecret: secrets.ask });
    expect((await transport.run('echo', ['pw'])).stdout).toBe('pw\n');
    expect(secrets.prompts).toEqual([{ kind: 'password', message: `Password for root@${host.address}:22`, account: `root@${host.address}:22`, retry: false }]);
  });

  it('refuses a wrong password after three tries, clearly', async () => {
    const secrets = answering(['wrong password']);
    const error = await open({}, { askSecret: secrets.ask }).run('true', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAuthError);
    expect((error as Error).message).toMatch(/Permission denied for root@.*password \(3 times\)/);
    expect(secrets.prompts.map((p) => p.retry)).toEqual([false, true, true]);
  });

  it('answers keyboard-interactive (PAM) prompts through askSecret', async () => {
    const pam = createNetnsHosts({
      hosts: 1,
      rootPassword: PASSWORD,
      sshdConfig: ['UsePAM yes', 'KbdInteractiveAuthentication yes', 'PasswordAuthentication no'],
    });
    try {
      pam.assertAlive();
      const secrets = answering(['wrong', PASSWORD]);
      const transport = new SshTransport(
        { address: pam.hosts[0]!.address, user: 'root' },
        isolatedSshOptions(pam, { connectAttempts: 1, askSecret: secrets.ask }),
      );
      opened.push(transport);
      expect((await transport.run('echo', ['kbd'])).stdout).toBe('kbd\n');
      expect(secrets.prompts.map((p) => [p.kind, p.retry])).toEqual([
        ['keyboard-interactive', false],
        ['keyboard-interactive', true],
      ]);
      expect(secrets.prompts[0]?.message).toMatch(/password/i);
    } finally {
      pam.destroy();
    }
  });

  it('uses ssh-agent, and forwards no agent to the host', async () => {
    const socket = join(lab.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i += 1) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', ['-q', lab.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
    const transport = open({}, { agentSocket: socket });
    const { stdout } = await transport.run('sh', ['-c', 'echo "${SSH_AUTH_SOCK:-no agent}"']);
    expect(stdout).toBe('no agent\n');
    // Without the agent (and no key file in the empty home) there is nothing to log in with.
    const error = await open({}, {}).run('true', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAuthError);
    expect((error as Error).message).toContain('no usable method');
  });
});
