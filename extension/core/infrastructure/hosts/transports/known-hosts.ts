/**
 * OpenSSH known_hosts files: parsing, matching (plain, wildcard, negated, `[host]:port` and
 * hashed `|1|salt|hash` entries), fingerprints as OpenSSH prints them, and appending new keys.
 * See sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT".
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { HostKeyError } from '../host-errors';
import { appendLine } from '../../files/append-line';
import { hostAddressProblem } from '../host-address';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly marker: 'cert-authority' | 'revoked' | undefined;
  /** The host field as written: comma-separated patterns, or one `|1|salt|hash`. */
  readonly hosts: string;
  readonly keyType: string;
  /** The public key blob (SSH wire format). */
  readonly key: Buffer;
}

/** Parses known_hosts text; malformed lines are skipped (as OpenSSH does). */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else continue;
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) continue;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) continue;
    const key = Buffer.from(base64, 'base64');
    if (key.length === 0) continue;
    entries.push({ file, line: i + 1, marker, hosts, keyType, key });
  }
  return entries;
}

/** The name a host is looked up by: `host` on port 22, else `[host]:port` (lower case). */
export function knownHostsName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

/** `SHA256:` and the unpadded base64 SHA-256 of the key blob, as `ssh-keygen -l` prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of a key blob (e.g. `ssh-ed25519`). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length > keyBlob.length - 4 || length > 64) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** A hashed host field for `name` (`|1|base64(salt)|base64(HMAC-SHA1(salt, name))`). */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/**
 * Whether `name` matches the glob `pattern` (`*` any run, `?` one character), ignoring case.
 * Not a regular expression: `.*a.*a.*…b` backtracks exponentially, and a known_hosts file
 * someone else can write would hang every connection; this walk is at most O(pattern × name).
 */
function globMatches(pattern: string, name: string): boolean {
  const p = [...pattern.toLowerCase()];
  const s = [...name.toLowerCase()];
  let pi = 0;
  let si = 0;
  let star = -1;
  let starAt = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] !== '*' && (p[pi] === '?' || p[pi] === s[si])) {
      pi += 1;
      si += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      pi += 1;
      starAt = si;
    } else if (star !== -1) {
      // Let the last star take one more character and try again from there.
      pi = star + 1;
      starAt += 1;
      si = starAt;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** Whether a host field (patterns or a hashed name) matches `name` (from {@link knownHostsName}). */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return expected.length === actual.length && expected.equals(actual);
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (globMatches(glob, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Host key algorithm names for a key type, for ordering what the server may offer. */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}

/** What known_hosts says about a presented key. */
export type HostKeyVerdict =
  | { readonly kind: 'trusted'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly kind: 'changed'; readonly known: readonly KnownHostEntry[] }
  | { readonly kind: 'unknown'; readonly otherKeyTypes: readonly string[] };

/**
 * Judges `keyBlob` presented by the host looked up as `name`:
 * revoked beats everything; a matching entry trusts it; an entry for the same host with the
 * same key type but another key means it changed; anything else is unknown.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const keyType = keyTypeOfBlob(keyBlob);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked !== undefined) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name));
  const trusted = forHost.find((e) => e.key.equals(keyBlob));
  if (trusted !== undefined) return { kind: 'trusted', entry: trusted };
  const sameType = forHost.filter((e) => keyTypeOfBlob(e.key) === keyType);
  if (sameType.length > 0) return { kind: 'changed', known: sameType };
  return { kind: 'unknown', otherKeyTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** Key types known_hosts has for `name` (to make the server present one of those). */
export function knownKeyTypesFor(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => keyTypeOfBlob(e.key));
  return [...new Set(types)];
}

/** Reads and parses known_hosts files; missing ones count as empty. */
export async function readKnownHosts(paths: readonly string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    all.push(...parseKnownHosts(text, path));
  }
  return all;
}

/** The known_hosts line for a key (hashed host field when `hash`). */
export function knownHostsLine(name: string, keyBlob: Buffer, options: { hash?: boolean } = {}): string {
  const field = options.hash ? hashHostName(name) : name;
  return `${field} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

/**
 * Why `name` (from {@link knownHostsName}, or a HostKeyAlias) cannot be written to known_hosts
 * as the one host it names; undefined when it can. A comma, `*`, `?` or `!` would make the entry
 * a pattern that trusts the key for other hosts too.
 */
export function knownHostsNameProblem(name: string): string | undefined {
  const bracketed = /^\[(.*)\]:([0-9]{1,5})$/.exec(name);
  const host = bracketed === null ? name : (bracketed[1] ?? '');
  if (bracketed !== null && (Number(bracketed[2]) < 1 || Number(bracketed[2]) > 65_535)) return 'its port is not 1–65535';
  return hostAddressProblem(host);
}

/**
 * Appends a key to a known_hosts file, creating it (0600, directory 0700) when missing. Only
 * appends (see appendLine): the lines already there are never rewritten.
 *
 * @throws HostKeyError when `name` is not one host (see {@link knownHostsNameProblem}).
 */
export async function appendKnownHost(path: string, name: string, keyBlob: Buffer, options: { hash?: boolean } = {}): Promise<void> {
  const problem = knownHostsNameProblem(name);
  if (problem !== undefined) {
    throw new HostKeyError(`Refusing to add ${JSON.stringify(name)} to ${path}: ${problem}.`, {
      hint: 'Give the host a plain host name, IP address or ~/.ssh/config alias.',
    });
  }
  await appendLine(path, knownHostsLine(name, keyBlob, options), { mode: 0o600, directoryMode: 0o700 });
}
