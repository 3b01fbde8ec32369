/**
 * Host key trust against a real sshd: unknown keys refused (with the fingerprint) or accepted
 * by the callback (then in known_hosts), changed keys refused loudly with both fingerprints,
 * hashed and `[host]:port` entries honoured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChangedHostKeyError, RevokedHostKeyError, UnknownHostKeyError } from '../../../extension/core/infrastructure/hosts/host-errors';
import type { HostKeyInfo, SshTransport } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { transportTo } from '../../support/netns/ssh-options';

let lab: NetnsHosts;
let host: NetnsHost;
const opened: SshTransport[] = [];
let fileCounter = 0;

function knownHostsFile(text: string): string {
  fileCounter += 1;
  const path = join(lab.dir, `known_hosts.${fileCounter}`);
  writeFileSync(path, text);
  return path;
}

function open(knownHostsPath: string, extra: Parameters<typeof transportTo>[2] = {}, port = 22): SshTransport {
  const transport = transportTo(lab, host, { knownHostsPath, connectAttempts: 1, ...extra }, port);
  opened.push(transport);
  return transport;
}

/** Another ed25519 public key line, not the host's. */
function otherKeyLine(): { line: string; fingerprint: string } {
  fileCounter += 1;
  const path = join(lab.dir, `other_${fileCounter}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { line: readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' '), fingerprint };
}

beforeAll(() => {
  lab = createNetnsHosts({ hosts: 1 });
  host = lab.hosts[0]!;
});

beforeEach(() => lab.assertAlive());

afterAll(async () => {
  await Promise.all(opened.map((t) => t.dispose()));
  lab?.destroy();
});

describe('host keys', () => {
  it('refuses an unknown host key with its SHA256 fingerprint', async () => {
    const path = join(lab.dir, 'missing', 'known_hosts');
    const error = await open(path).run('true', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownHostKeyError);
    expect((error as UnknownHostKeyError).fingerprint).toBe(host.fingerprint);
    expect((error as Error).message).toContain(host.fingerprint);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses when the callback says no; accepts (and records) when it says yes', async () => {
    const path = join(lab.dir, 'fresh', 'known_hosts');
    const asked: { fingerprint: string; info: HostKeyInfo }[] = [];
    const refused = await open(path, {
      onUnknownHostKey: async (fingerprint, info) => {
        asked.push({ fingerprint, info });
        return false;
      },
    })
      .run('true', [])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnknownHostKeyError);
    expect(asked).toHaveLength(1);
    const accepting = open(path, { onUnknownHostKey: async () => true });
    expect((await accepting.run('echo', ['in'])).stdout).toBe('in\n');
    expect(asked[0]).toMatchObject({
      fingerprint: host.fingerprint,
      info: { host: host.address, port: 22, keyType: 'ssh-ed25519', knownHostsName: host.address, knownHostsPath: path },
    });
    expect(readFileSync(path, 'utf8')).toBe(`${host.address} ${host.hostKeyLine}\n`);
    // OpenSSH reads what we wrote.
    expect(execFileSync('ssh-keygen', ['-F', host.address, '-f', path], { encoding: 'utf8' })).toContain(host.hostKeyLine);
    // And next time no question is asked.
    expect((await open(path).run('true', [])).exitCode).toBe(0);
  });

  it('uses the [host]:port form on other ports, hashed when asked', async () => {
    // A second sshd on port 2222 of the same host, same host key.
    const config = join(host.dir, 'sshd_config');
    const config2222 = join(host.dir, 'sshd_config_2222');
    writeFileSync(
      config2222,
      readFileSync(config, 'utf8')
        .replace(/^ListenAddress .*$/m, `ListenAddress ${host.address}:2222`)
        .replace(/^PidFile .*$/m, `PidFile ${join(host.dir, 'sshd2222.pid')}`),
    );
    lab.exec(host, ['/usr/sbin/sshd', '-f', config2222, '-h', host.hostKeyPath, '-E', join(host.dir, 'sshd2222.log')]);
    const log = join(host.dir, 'sshd2222.log');
    for (let i = 0; i < 100 && !(existsSync(log) && readFileSync(log, 'utf8').includes('Server listening')); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const path = join(lab.dir, 'port', 'known_hosts');
    let name = '';
    const transport = open(
      path,
      {
        hashKnownHosts: true,
        onUnknownHostKey: async (_fingerprint, info) => {
          name = info.knownHostsName;
          return true;
        },
      },
      2222,
    );
    expect((await transport.run('true', [])).exitCode).toBe(0);
    expect(name).toBe(`[${host.address}]:2222`);
    const written = readFileSync(path, 'utf8');
    expect(written.startsWith('|1|')).toBe(true);
    expect(execFileSync('ssh-keygen', ['-F', `[${host.address}]:2222`, '-f', path], { encoding: 'utf8' })).toContain(host.hostKeyLine.split(' ')[1]);
    // The port-22 entry does not count for port 2222, nor the other way round.
    const plain22 = knownHostsFile(`${host.address} ${host.hostKeyLine}\n`);
    await expect(open(plain22, {}, 2222).run('true', [])).rejects.toBeInstanceOf(UnknownHostKeyError);
    await expect(open(path).run('true', [])).rejects.toBeInstanceOf(UnknownHostKeyError);
    expect((await open(path, {}, 2222).run('true', [])).exitCode).toBe(0);
  });

  it('accepts a hashed known_hosts entry (ssh-keygen -H)', async () => {
    const path = knownHostsFile(`${host.address} ${host.hostKeyLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', path], { stdio: 'ignore' });
    expect(readFileSync(path, 'utf8')).not.toContain(host.address);
    expect((await open(path).run('echo', ['hashed'])).stdout).toBe('hashed\n');
  });

  it('refuses a changed host key loudly, with both fingerprints, never asking', async () => {
    const other = otherKeyLine();
    const path = knownHostsFile(`# lab\n${host.address} ${other.line}\n`);
    let asked = 0;
    const error = await open(path, {
      onUnknownHostKey: async () => {
        asked += 1;
        return true;
      },
    })
      .run('true', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangedHostKeyError);
    const changed = error as ChangedHostKeyError;
    expect(changed.fingerprint).toBe(host.fingerprint);
    expect(changed.knownFingerprints).toEqual([other.fingerprint]);
    expect(changed.message).toMatch(/HAS CHANGED/);
    expect(changed.message).toContain(host.fingerprint);
    expect(changed.message).toContain(other.fingerprint);
    expect(changed.message).toContain(`${path}:2`);
    expect(asked).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(`# lab\n${host.address} ${other.line}\n`);
  });

  it('refuses a key marked @revoked', async () => {
    const path = knownHostsFile(`${host.address} ${host.hostKeyLine}\n@revoked * ${host.hostKeyLine}\n`);
    await expect(open(path).run('true', [])).rejects.toBeInstanceOf(RevokedHostKeyError);
  });
});
