/**
 * The guest's SSH keys, made fresh for every build: dropbear's ed25519 host key (its public half
 * becomes a known_hosts line under a fixed alias) and an ed25519 OpenSSH client key for root.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { GuestBuildError } from '../../errors';
import { run } from './run';

/** The name the guest's host key is known by: use `ssh -o HostKeyAlias=qemu-lab-guest`. */
export const HOST_KEY_ALIAS = 'qemu-lab-guest';

/** An OpenSSH public key line: `type base64 [comment]`. */
export interface PublicKey {
  readonly type: string;
  readonly base64: string;
}

/** Parses the first OpenSSH public key line (`ssh-ed25519 AAAA… comment`) in `text`. */
export function parsePublicKeyLine(text: string): PublicKey | undefined {
  for (const line of text.split('\n')) {
    const match = /^((?:ssh|ecdsa-sha2)-[A-Za-z0-9-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s.*)?$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) return { type: match[1], base64: match[2] };
  }
  return undefined;
}

/** A known_hosts line for `key` under `alias`. */
export function knownHostsLine(alias: string, key: PublicKey): string {
  return `${alias} ${key.type} ${key.base64}`;
}

const DROPBEAR_HINT = 'apt-get install busybox-static dropbear-bin sysbench iperf3 iperf';

/** Generates dropbear's ed25519 host key at `path` and returns its public half. */
export async function generateHostKey(path: string, signal?: AbortSignal): Promise<PublicKey> {
  await run('dropbearkey', ['-t', 'ed25519', '-f', path], { signal, missingHint: DROPBEAR_HINT });
  const { stdout } = await run('dropbearkey', ['-y', '-f', path], { signal, missingHint: DROPBEAR_HINT });
  const key = parsePublicKeyLine(stdout);
  if (key === undefined) {
    throw new GuestBuildError('dropbearkey printed no public key for the guest host key.', {
      hint: 'Check that dropbear-bin is intact: apt-get install --reinstall dropbear-bin',
    });
  }
  return key;
}

/**
 * Generates an ed25519 OpenSSH key pair without passphrase at `path` (private, mode 0600) and
 * `path.pub`, and returns the public line.
 */
export async function generateClientKey(path: string, signal?: AbortSignal): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'qemu-lab', '-f', path], {
    signal,
    missingHint: 'apt-get install openssh-client',
  });
  await chmod(path, 0o600);
  const line = (await readFile(`${path}.pub`, 'utf8')).trim();
  if (parsePublicKeyLine(line) === undefined) {
    throw new GuestBuildError('ssh-keygen wrote no usable public key.', {
      hint: 'Check that openssh-client is intact: apt-get install --reinstall openssh-client',
    });
  }
  return line;
}

/** Writes a known_hosts file holding the guest's host key under {@link HOST_KEY_ALIAS}. */
export async function writeKnownHosts(path: string, key: PublicKey): Promise<void> {
  await writeFile(path, `${knownHostsLine(HOST_KEY_ALIAS, key)}\n`, { mode: 0o644 });
}
