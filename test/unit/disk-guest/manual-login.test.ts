import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { sshArgs } from '../../../extension/core/machines/guest-access/guest-ssh';
import { manualGuestSsh } from '../../../extension/core/machines/disk-guest/manual-login';
import type { VmSpec } from '../../../extension/core/lab/model';

// A disk guest without cloud-init logs in with the user's key; its host key is learnt at the
// first login into the VM's own known_hosts (the real ssh part is in the disk-guest integration test).
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-login-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const vm = { name: 'deb' } as VmSpec;
const system = new LocalHostSystem();

async function keyFile(mode: number): Promise<string> {
  const key = join(dir, 'lab', 'keys', 'id_deb');
  await mkdir(join(dir, 'lab', 'keys'), { recursive: true });
  await writeFile(key, 'a private key\n', { mode });
  await chmod(key, mode);
  return key;
}

describe('manualGuestSsh (user: + identity:)', () => {
  it('logs in with the key the lab names (relative to the lab file) and learns the host key on first use, in the VM\'s own file', async () => {
    const key = await keyFile(0o600);
    const env = { QEMU_LAB_STATE_DIR: join(dir, 'state') };
    const login = await manualGuestSsh(vm, { user: 'debian', identity: 'keys/id_deb' }, join(dir, 'lab', 'qemu-lab.yaml'), system, env);
    expect(login).toMatchObject({ privateKey: key, user: 'debian', hostKeyAlias: 'deb.qemu-lab-guest', hostKeyCheck: 'first-use' });
    expect(login.knownHostsFile.startsWith(join(dir, 'state', 'labs'))).toBe(true);
    expect(await readFile(login.knownHostsFile, 'utf8')).toBe('');
    expect((await stat(join(login.knownHostsFile, '..'))).mode & 0o777).toBe(0o700);
    const args = sshArgs({ host: '127.0.0.1', port: 2222, ...login }, { interactive: false });
    expect(args).toContain('StrictHostKeyChecking=accept-new');
    expect(args).toContain(`UserKnownHostsFile=${login.knownHostsFile}`);
  });

  it('reads ~/ in identity: as the home folder, as ssh does', async () => {
    const key = await keyFile(0o600);
    const login = await manualGuestSsh(vm, { user: 'debian', identity: '~/keys/id_deb' }, '/elsewhere/qemu-lab.yaml', system, { QEMU_LAB_STATE_DIR: join(dir, 'state'), HOME: join(dir, 'lab') });
    expect(login.privateKey).toBe(key);
  });

  it('keeps a key it learnt: the next boot does not empty the file', async () => {
    await keyFile(0o600);
    const env = { QEMU_LAB_STATE_DIR: join(dir, 'state') };
    const first = await manualGuestSsh(vm, { user: 'debian', identity: 'keys/id_deb' }, join(dir, 'lab', 'qemu-lab.yaml'), system, env);
    await writeFile(first.knownHostsFile, 'deb.qemu-lab-guest ssh-ed25519 AAAAlearnt\n');
    const again = await manualGuestSsh(vm, { user: 'debian', identity: 'keys/id_deb' }, join(dir, 'lab', 'qemu-lab.yaml'), system, env);
    expect(again.knownHostsFile).toBe(first.knownHostsFile);
    expect(await readFile(again.knownHostsFile, 'utf8')).toBe('deb.qemu-lab-guest ssh-ed25519 AAAAlearnt\n');
  });

  it('refuses a key others can read (ssh would ignore it), saying chmod 600; and a key that is not there', async () => {
    const key = await keyFile(0o644);
    const env = { QEMU_LAB_STATE_DIR: join(dir, 'state') };
    const lab = join(dir, 'lab', 'qemu-lab.yaml');
    const open = manualGuestSsh(vm, { user: 'debian', identity: key }, lab, system, env);
    await expect(open).rejects.toThrow(VmError);
    await expect(open).rejects.toMatchObject({ hint: `Make it private: chmod 600 ${key}` });
    await expect(manualGuestSsh(vm, { user: 'debian', identity: 'keys/missing' }, lab, system, env)).rejects.toThrow(/identity: .*keys\/missing is not a file on this machine/);
  });

  it('a guest whose key QEMU Lab made is still checked strictly', () => {
    const args = sshArgs({ host: '127.0.0.1', port: 2222, user: 'lab', privateKey: '/k', knownHostsFile: '/kh', hostKeyAlias: 'lab-guest' }, { interactive: false });
    expect(args).toContain('StrictHostKeyChecking=yes');
    expect(args.join(' ')).not.toMatch(/accept-new|StrictHostKeyChecking=no/);
  });
});
