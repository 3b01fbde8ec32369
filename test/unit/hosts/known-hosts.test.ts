import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostKeyError } from '../../../extension/core/infrastructure/hosts/host-errors';
import {
  appendKnownHost,
  knownHostsNameProblem,
  checkHostKey,
  hashHostName,
  hostFieldMatches,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypesFor,
  parseKnownHosts,
  readKnownHosts,
  sha256Fingerprint,
} from '../../../extension/core/infrastructure/hosts/transports/known-hosts';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh key pair made by ssh-keygen: the blob and what ssh-keygen says its fingerprint is. */
function makeKey(name: string, type = 'ed25519'): { blob: Buffer; line: string; fingerprint: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), line, fingerprint };
}

const a = makeKey('a');
const b = makeKey('b');
const ecdsa = makeKey('c', 'ecdsa');

describe('known_hosts', () => {
  it('prints fingerprints exactly as ssh-keygen -l does', () => {
    expect(sha256Fingerprint(a.blob)).toBe(a.fingerprint);
    expect(sha256Fingerprint(ecdsa.blob)).toBe(ecdsa.fingerprint);
    expect(keyTypeOfBlob(a.blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(ecdsa.blob)).toBe('ecdsa-sha2-nistp256');
  });

  it('names hosts as OpenSSH does: plain on port 22, [host]:port otherwise', () => {
    expect(knownHostsName('Lab-A.example', 22)).toBe('lab-a.example');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches patterns, wildcards, negations and bracketed ports', () => {
    expect(hostFieldMatches('lab-a,10.0.0.1', 'lab-a')).toBe(true);
    expect(hostFieldMatches('lab-a,10.0.0.1', '10.0.0.1')).toBe(true);
    expect(hostFieldMatches('lab-?', 'lab-b')).toBe(true);
    expect(hostFieldMatches('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(hostFieldMatches('*.example,!bad.example', 'good.example')).toBe(true);
    expect(hostFieldMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches('[10.0.0.1]:2222', '10.0.0.1')).toBe(false);
    expect(hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222')).toBe(false);
    expect(hostFieldMatches('a.b', 'axb')).toBe(false); // dots are literal
  });

  it('matches hashed entries made by ssh-keygen -H', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `lab-a ${a.line}\n[10.9.8.7]:2200 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(entries, 'lab-a', a.blob).kind).toBe('trusted');
    expect(checkHostKey(entries, '[10.9.8.7]:2200', b.blob).kind).toBe('trusted');
    expect(checkHostKey(entries, 'lab-b', a.blob).kind).toBe('unknown');
    expect(hostFieldMatches(hashHostName('x'), 'x')).toBe(true);
  });

  it('tells trusted, unknown, changed and revoked apart', () => {
    const text = [
      '# comment',
      '',
      `lab-a ${a.line} comment here`,
      `lab-e ${ecdsa.line}`,
      `@revoked * ${b.line}`,
      'garbage line',
      `lab-x ssh-ed25519 !!!notbase64`,
    ].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    expect(entries).toHaveLength(3);
    expect(entries[0]?.line).toBe(3);
    expect(checkHostKey(entries, 'lab-a', a.blob).kind).toBe('trusted');
    const changed = checkHostKey(entries, 'lab-a', makeKey('a2').blob);
    expect(changed.kind).toBe('changed');
    expect(checkHostKey(entries, 'lab-a', b.blob).kind).toBe('revoked');
    const other = checkHostKey(entries, 'lab-e', a.blob);
    expect(other).toEqual({ kind: 'unknown', otherKeyTypes: ['ecdsa-sha2-nistp256'] });
    expect(knownKeyTypesFor(entries, 'lab-e')).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('appends (plain or hashed), adding a missing final newline, and reads back', async () => {
    const file = join(dir, 'sub', 'known_hosts');
    await appendKnownHost(file, '[10.1.1.1]:2222', a.blob);
    writeFileSync(file, `${readFileSync(file, 'utf8')}lab-z ${b.line}`); // no final newline
    await appendKnownHost(file, 'lab-h', ecdsa.blob, { hash: true });
    const entries = await readKnownHosts([file, join(dir, 'missing')]);
    expect(entries).toHaveLength(3);
    expect(checkHostKey(entries, '[10.1.1.1]:2222', a.blob).kind).toBe('trusted');
    expect(checkHostKey(entries, 'lab-z', b.blob).kind).toBe('trusted');
    expect(checkHostKey(entries, 'lab-h', ecdsa.blob).kind).toBe('trusted');
    // OpenSSH itself agrees with what we wrote.
    const found = execFileSync('ssh-keygen', ['-F', '[10.1.1.1]:2222', '-f', file], { encoding: 'utf8' });
    expect(found).toContain(a.line.split(' ')[1]);
  });

  it('never writes a pattern: an address with a comma, *, ?, ! or a leading - is refused, the file untouched', async () => {
    const file = join(dir, 'patterns', 'known_hosts');
    await appendKnownHost(file, 'lab-a', a.blob);
    const before = readFileSync(file, 'utf8');
    for (const name of ['lab-a,*', '*', '10.0.0.?', '!lab-b', '-oX', '[lab-a,*]:2222', 'a b', '[::1]:0']) {
      await expect(appendKnownHost(file, name, b.blob), name).rejects.toThrow(HostKeyError);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    for (const name of ['lab-a.example.org', '[10.0.0.2]:2222', '::1', '[fe80::1%eth0]:22', 'my_alias']) expect(knownHostsNameProblem(name), name).toBeUndefined();
  });
});
