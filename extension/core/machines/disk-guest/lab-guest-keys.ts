/**
 * The SSH keys of a lab's disk guests, made once per lab on this machine and kept in the lab's
 * state (`<state>/labs/<lab hash>/guest-ssh/`, a 0700 folder, private keys 0600): an ed25519
 * client key cloud-init authorizes in every guest, and an ed25519 host key cloud-init installs
 * as the guests' sshd key — so QEMU Lab knows each guest's host key before it boots and checks
 * it strictly, as for the built-in guest.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VmError } from '../../errors';
import { assertPrivateState } from '../../infrastructure/files/private-state';
import { LocalHostSystem, type HostSystem } from '../../infrastructure/hosts/system/host-system';
import { runProgram } from '../../infrastructure/hosts/system/run-program';
import { knownHostsLine, parsePublicKeyLine } from '../guest-image/keys';
import { stateRoot } from '../vm/run-dir';

/** A lab's disk-guest keys on this machine. */
export interface LabGuestKeys {
  /** The client's private key (0600); `${privateKey}.pub` is its public half. */
  readonly privateKey: string;
  /** The public line cloud-init authorizes (`ssh-ed25519 AAAA… qemu-lab`). */
  readonly authorizedKey: string;
  /** The guests' sshd host key, private (OpenSSH format) and public. */
  readonly hostPrivateKey: string;
  readonly hostPublicKey: string;
  /** A known_hosts file with the host key under {@link LabGuestKeys.hostKeyAlias}. */
  readonly knownHostsFile: string;
  readonly hostKeyAlias: string;
}

/** The short hash naming a lab in state folders (the same as in its VMs' run directories). */
export function labHash(labPath: string): string {
  return createHash('sha256').update(resolve(labPath)).digest('hex').slice(0, 10);
}

/** Where a remote host keeps a lab's seeds and keys (placed there from this machine). */
export async function remoteLabDir(system: HostSystem, labPath: string): Promise<string> {
  return join(await system.home(), '.cache', 'qemu-lab', 'labs', labHash(labPath));
}

/** A lab's own folder under the state root on this machine (its keys, seeds and VM logins). */
export function localLabDir(root: string, labPath: string): string {
  return join(root, 'labs', labHash(labPath));
}

/** The folder of a lab's disk-guest keys under the state root. */
export function labGuestKeysDir(root: string, labPath: string): string {
  return join(localLabDir(root, labPath), 'guest-ssh');
}

const CLIENT = 'id_ed25519';
const HOST = 'host_ed25519';
const KNOWN_HOSTS = 'known_hosts';

async function keygen(path: string, comment: string): Promise<void> {
  const result = await runProgram('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { check: false, missingHint: 'apt-get install openssh-client' });
  if (result.exitCode !== 0) {
    throw new VmError(`ssh-keygen could not make a key: ${result.stderr.trim()}`, { hint: 'Check that openssh-client is intact: apt-get install --reinstall openssh-client' });
  }
  await chmod(path, 0o600);
}

async function readKeys(dir: string, alias: string): Promise<LabGuestKeys | undefined> {
  try {
    const [authorizedKey, hostPrivateKey, hostPublicKey, knownHosts] = await Promise.all([
      readFile(join(dir, `${CLIENT}.pub`), 'utf8'),
      readFile(join(dir, HOST), 'utf8'),
      readFile(join(dir, `${HOST}.pub`), 'utf8'),
      readFile(join(dir, KNOWN_HOSTS), 'utf8'),
    ]);
    const host = parsePublicKeyLine(hostPublicKey);
    if (parsePublicKeyLine(authorizedKey) === undefined || host === undefined || knownHosts.trim() !== knownHostsLine(alias, host)) return undefined;
    return {
      privateKey: join(dir, CLIENT),
      authorizedKey: authorizedKey.trim(),
      hostPrivateKey,
      hostPublicKey: hostPublicKey.trim(),
      knownHostsFile: join(dir, KNOWN_HOSTS),
      hostKeyAlias: alias,
    };
  } catch {
    return undefined;
  }
}

/**
 * The lab's keys, made on first use. They are made in a private temporary folder and moved in
 * place with one rename, so two boots at once never see half a key set.
 */
export async function labGuestKeys(labPath: string, env: NodeJS.ProcessEnv): Promise<LabGuestKeys> {
  const root = stateRoot(env);
  const dir = labGuestKeysDir(root, labPath);
  const alias = `qemu-lab-guest-${labHash(labPath)}`;
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true, mode: 0o700 });
  await assertPrivateState(new LocalHostSystem(), root, parent);
  const existing = await readKeys(dir, alias);
  if (existing !== undefined) return existing;
  const temp = await mkdtemp(join(parent, '.guest-ssh-'));
  try {
    await keygen(join(temp, CLIENT), 'qemu-lab');
    await keygen(join(temp, HOST), 'qemu-lab-guest-host');
    const host = parsePublicKeyLine(await readFile(join(temp, `${HOST}.pub`), 'utf8'));
    if (host === undefined) throw new VmError('ssh-keygen wrote no usable host key.', { hint: 'Check that openssh-client is intact: apt-get install --reinstall openssh-client' });
    await writeFile(join(temp, KNOWN_HOSTS), `${knownHostsLine(alias, host)}\n`, { mode: 0o600 });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // Another boot may have put its keys in place first: use theirs.
    const theirs = await readKeys(dir, alias);
    if (theirs !== undefined) return theirs;
    throw new VmError(`The disk guests' SSH keys in ${dir} are incomplete and cannot be replaced.`, {
      hint: `Delete ${dir}; QEMU Lab makes new keys at the next boot (guests booted with the old ones get the new key then).`,
      cause: error,
    });
  }
  const made = await readKeys(dir, alias);
  if (made === undefined) throw new VmError(`The disk guests' SSH keys in ${dir} cannot be read back.`, { hint: `Delete ${dir}; QEMU Lab makes new keys at the next boot.` });
  return made;
}
