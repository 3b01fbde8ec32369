/**
 * Where and how to reach an SSH host: the lab file's fields over ~/.ssh/config (read with the
 * `ssh-config` package: Host aliases, HostName, User, Port, IdentityFile, IdentitiesOnly,
 * ProxyJump, HostKeyAlias, UserKnownHostsFile) over OpenSSH's defaults.
 */
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SshConfigError } from '../host-errors';

/** An SSH host as a lab file (or a person) names it. */
export interface SshHostSpec {
  /** A host name, an IP address or an alias from ~/.ssh/config; `user@` and `:port` allowed. */
  readonly address: string;
  /** Overrides User from ~/.ssh/config. */
  readonly user?: string | undefined;
  /** Overrides Port from ~/.ssh/config. */
  readonly port?: number | undefined;
  /** A private key file; tried before the IdentityFiles of ~/.ssh/config. */
  readonly identity?: string | undefined;
}

/** The jump host of a ProxyJump, as `[user@]host[:port]`. */
export interface SshJump {
  readonly address: string;
  readonly user: string | undefined;
  readonly port: number | undefined;
}

/** Everything needed to connect, resolved. */
export interface SshTarget {
  /** The name as given (alias), for messages. */
  readonly alias: string;
  /** What to connect to (HostName, or the alias itself). */
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  /** Key files to try, in order, `~` and `%` tokens expanded; they may not exist. */
  readonly identityFiles: readonly string[];
  /** Only the identity files, not the agent's other keys. */
  readonly identitiesOnly: boolean;
  /** The one ProxyJump hop, if any. */
  readonly jump: SshJump | undefined;
  /** The name known_hosts is searched by, instead of hostname (HostKeyAlias). */
  readonly hostKeyAlias: string | undefined;
  /** UserKnownHostsFile entries from the config (expanded), if any. */
  readonly userKnownHostsFiles: readonly string[];
}

/** Options of {@link resolveSshTarget}. */
export interface ResolveOptions {
  /** The text of the ssh config; undefined = read `configPath`. */
  readonly configText?: string;
  /** Default `~/.ssh/config`; null = use no config file. */
  readonly configPath?: string | null;
  /** Home directory for `~` (default os.homedir()). */
  readonly home?: string;
  /** Local user name for the default User and `%u` (default os.userInfo().username). */
  readonly localUser?: string;
}

/** Splits `[user@]host[:port]` (also `[v6addr]:port`). */
export function parseAddress(text: string): SshJump {
  let rest = text.trim();
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracketed !== null) {
    rest = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else {
    const colon = /^([^:]+):(\d+)$/.exec(rest);
    if (colon !== null) {
      rest = colon[1] ?? '';
      port = Number(colon[2]);
    }
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new SshConfigError(`Invalid SSH port in ${JSON.stringify(text)}.`);
  }
  return { address: rest, user, port };
}

function first(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
}

/** Expands `~` and the `%` tokens OpenSSH expands in IdentityFile and friends. */
export function expandPath(
  path: string,
  tokens: { home: string; hostname: string; port: number; user: string; localUser: string; alias: string },
): string {
  let out = path.replace(/%(.)/g, (whole, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return tokens.home;
      case 'h':
        return tokens.hostname;
      case 'p':
        return String(tokens.port);
      case 'r':
        return tokens.user;
      case 'u':
        return tokens.localUser;
      case 'n':
        return tokens.alias;
      default:
        throw new SshConfigError(`Unsupported token ${whole} in ${JSON.stringify(path)} of your ssh config.`);
    }
  });
  if (out === '~') out = tokens.home;
  else if (out.startsWith('~/')) out = join(tokens.home, out.slice(2));
  return out;
}

const DEFAULT_IDENTITIES = ['~/.ssh/id_ed25519', '~/.ssh/id_ecdsa', '~/.ssh/id_rsa'];

/** Computes the config of one host from ssh config text (ssh-config package; no `Match exec`). */
export async function computeSshConfig(text: string, host: string, user?: string): Promise<Record<string, string | string[]>> {
  // ssh-config is an ES module with a CommonJS build; a dynamic import works from both worlds.
  const { default: SSHConfig } = await import('ssh-config');
  const config = SSHConfig.parse(text);
  return config.compute(user === undefined ? { Host: host } : { Host: host, User: user }, { ignoreCase: true, matchExec: false });
}

/**
 * Resolves a host spec: explicit fields win over ~/.ssh/config, which wins over defaults.
 *
 * @throws SshConfigError for what we do not support (ProxyCommand, more than one ProxyJump hop).
 */
export async function resolveSshTarget(spec: SshHostSpec, options: ResolveOptions = {}): Promise<SshTarget> {
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? userInfo().username;
  const parsed = parseAddress(spec.address);
  const alias = parsed.address;
  if (alias === '') throw new SshConfigError(`Empty SSH host address ${JSON.stringify(spec.address)}.`);
  let text = options.configText;
  if (text === undefined && options.configPath !== null) {
    try {
      text = await readFile(options.configPath ?? join(home, '.ssh', 'config'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const explicitUser = spec.user ?? parsed.user;
  const computed = text === undefined ? {} : await computeSshConfig(text, alias, explicitUser);
  if (first(computed.proxycommand) !== undefined && first(computed.proxycommand)?.toLowerCase() !== 'none') {
    throw new SshConfigError(`Your ssh config sets ProxyCommand for ${alias}: not supported yet.`, {
      hint: 'Use ProxyJump (one hop) instead, or run QEMU Lab where the host is reachable directly.',
    });
  }
  const hostname = first(computed.hostname) ?? alias;
  const port = spec.port ?? parsed.port ?? (first(computed.port) !== undefined ? Number(first(computed.port)) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SshConfigError(`Invalid SSH port for ${alias}: ${port}.`);
  const user = explicitUser ?? first(computed.user) ?? localUser;
  const tokens = { home, hostname, port, user, localUser, alias };
  const fromConfig = all(computed.identityfile);
  const identityFiles = [
    ...(spec.identity !== undefined ? [spec.identity] : []),
    ...(fromConfig.length > 0 ? fromConfig : spec.identity !== undefined ? [] : DEFAULT_IDENTITIES),
  ]
    .filter((p) => p.toLowerCase() !== 'none')
    .map((p) => expandPath(p, tokens));
  let jump: SshJump | undefined;
  const proxyJump = first(computed.proxyjump);
  if (proxyJump !== undefined && proxyJump.toLowerCase() !== 'none') {
    if (proxyJump.includes(',')) {
      throw new SshConfigError(`Your ssh config sets ProxyJump ${proxyJump} for ${alias}: more than one hop is not supported yet.`, {
        hint: 'Use a single jump host, or give the jump host its own ProxyJump entry.',
      });
    }
    jump = parseAddress(proxyJump.replace(/^ssh:\/\//, ''));
  }
  return {
    alias,
    hostname,
    port,
    user,
    identityFiles: [...new Set(identityFiles)],
    identitiesOnly: (first(computed.identitiesonly) ?? 'no').toLowerCase() === 'yes',
    jump,
    hostKeyAlias: first(computed.hostkeyalias),
    userKnownHostsFiles: all(computed.userknownhostsfile).map((p) => expandPath(p, tokens)),
  };
}
