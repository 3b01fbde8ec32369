/**
 * Test hosts for the SSH transport: N network namespaces on a bridge in the root namespace,
 * each running a real OpenSSH sshd on its own address (10.231.X.10+i). They share this
 * machine's filesystem (and process table), so tests can look at what happened "remotely".
 * Only addresses inside namespaces made here are ever used. See README.md next to this file.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** Prefix of every namespace we make; the run id follows (owner pid in hex + random byte). */
export const NETNS_PREFIX = 'qemu-lab-';
const SSHD = '/usr/sbin/sshd';

/** One namespace host. */
export interface NetnsHost {
  readonly index: number;
  readonly namespace: string;
  /** Its address on the test bridge. */
  readonly address: string;
  readonly port: 22;
  readonly dir: string;
  readonly hostKeyPath: string;
  /** The host key blob (SSH wire format). */
  readonly hostKey: Buffer;
  /** `ssh-ed25519 AAAA…` */
  readonly hostKeyLine: string;
  /** `SHA256:…` as ssh-keygen -l prints it. */
  readonly fingerprint: string;
  /** The root-namespace end of its veth pair (on the bridge). */
  readonly vethRoot: string;
  readonly sshdPid: number;
  readonly sshdLog: string;
}

/** Options of {@link createNetnsHosts}. */
export interface NetnsHostsOptions {
  readonly hosts: number;
  /** When set, root may also log in with this password (a private /etc/shadow inside the host only). */
  readonly rootPassword?: string;
  /** Extra sshd_config lines; they override the defaults (e.g. `UsePAM yes`). */
  readonly sshdConfig?: readonly string[];
  /**
   * Also make a guest LAN: in every host a bridge {@link GUEST_LAN_BRIDGE} with the address
   * `<prefix>.<index>/24`, all joined through a switch bridge in the root namespace (which has no
   * address on it), so guests on different hosts share one L2 segment.
   */
  readonly guestLan?: boolean;
}

/** The bridge of the guest LAN inside every namespace host (one name: each host has its own namespace). */
export const GUEST_LAN_BRIDGE = 'qlan0';

/** The guest LAN of a run: guests use `<prefix>.11` and up; host N's bridge has `<prefix>.N`. */
export interface GuestLan {
  readonly bridge: string;
  /** The first three octets, e.g. `10.232.17`. */
  readonly prefix: string;
}

/** The hosts of one test file. */
export interface NetnsHosts {
  readonly runId: string;
  readonly dir: string;
  readonly subnet: string;
  readonly bridge: string;
  readonly bridgeAddress: string;
  readonly hosts: readonly NetnsHost[];
  /** Unencrypted ed25519 key authorized for root on every host. */
  readonly clientKey: string;
  readonly clientPublicKey: string;
  /** The guest LAN, when asked for. */
  readonly guestLan: GuestLan | undefined;
  /** A known_hosts file with every host's key. */
  readonly knownHosts: string;
  /** Throws unless every namespace still exists (check before sending anything to one). */
  assertAlive(): void;
  /** Runs a program inside a host's namespace. */
  exec(host: NetnsHost, argv: readonly string[]): string;
  /** Kills sshd's per-connection processes of a host (cuts every SSH connection to it); returns how many. */
  killSessions(host: NetnsHost): number;
  /** Sets the host's link on the bridge up or down (a pulled cable). */
  setLink(host: NetnsHost, up: boolean): void;
  /**
   * Cuts (or restores) only the path between this machine's root namespace (the tool) and the
   * host: the host drops what it sends to the bridge address (a blackhole route), while its link
   * to the other hosts stays up — a management network that failed while the migration network works.
   */
  setReachableFromRoot(host: NetnsHost, reachable: boolean): void;
  /** Kills everything in the namespaces, deletes them, the veths and the bridge. Idempotent. */
  destroy(): void;
}

function ip(args: readonly string[]): string {
  return execFileSync('ip', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIp(args: readonly string[]): void {
  try {
    ip(args);
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function namespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

function killNamespace(namespace: string): void {
  let pids: number[] = [];
  try {
    pids = ip(['netns', 'pids', namespace]).split('\n').filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  const deadline = Date.now() + 3_000;
  while (pids.some(alive) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
}

/** Run ids look like `00abcd12`: the owner's pid in hex and a random byte. */
function ownerOf(runId: string): number {
  return parseInt(runId.slice(0, 6), 16);
}

/**
 * Removes namespaces, veths and bridges of earlier runs whose process is gone (a crashed or
 * killed test run). Touches only names with our prefixes.
 */
export function sweepStaleNetnsHosts(): void {
  for (const namespace of namespaces()) {
    const match = new RegExp(`^${NETNS_PREFIX}([0-9a-f]{8})-h\\d+$`).exec(namespace);
    if (match === null || alive(ownerOf(match[1] ?? ''))) continue;
    killNamespace(namespace);
    tryIp(['netns', 'del', namespace]);
  }
  for (const line of ip(['-o', 'link', 'show']).split('\n')) {
    const match = /^\d+: (ql([0-9a-f]{8})[bvsl]\d*)[@:]/.exec(line);
    if (match === null || alive(ownerOf(match[2] ?? ''))) continue;
    tryIp(['link', 'del', match[1] ?? '']);
  }
}

function pickSubnet(): number {
  const used = ip(['-o', '-4', 'addr', 'show']) + ip(['-4', 'route', 'show', 'table', 'all']);
  for (let tries = 0; tries < 64; tries += 1) {
    const x = Math.floor(Math.random() * 256);
    if (!used.includes(`10.231.${x}.`) && !used.includes(`10.232.${x}.`)) return x;
  }
  throw new Error('No free 10.231.X.0/24 test subnet found.');
}

function testRoot(): string {
  const root = process.env.QEMU_LAB_TEST_ROOT;
  if (root === undefined) throw new Error('QEMU_LAB_TEST_ROOT is not set: run with the integration project (its globalSetup sets it).');
  return root;
}

/** sshd takes the first value of a keyword: the extra lines come first, so they override. */
function sshdConfig(lines: Record<string, string>, extra: readonly string[]): string {
  return `${[...extra, ...Object.entries(lines).map(([key, value]) => `${key} ${value}`)].join('\n')}\n`;
}

/**
 * Root's shell start-up files on this machine: bash run by sshd reads `~/.bashrc` for every
 * command, a login shell `~/.bash_profile`, `~/.bash_login` or `~/.profile` (Debian's sources
 * `~/.bashrc`). They may run `pyenv init`, conda or nvm: a second or more a command, and a lock
 * every host would share. Each namespace host sees them empty, as on a fresh machine.
 */
function shellStartupFiles(): string[] {
  // The home sshd gives root (from the user database), whatever HOME this process has.
  const home = userInfo().homedir;
  return ['.bashrc', '.bash_profile', '.bash_login', '.profile'].map((name) => join(home, name)).filter((path) => existsSync(path));
}

function waitForSshd(child: ChildProcess, log: string, pidFile: string): number {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    if (/Server listening on/.test(text) && existsSync(pidFile)) return Number(readFileSync(pidFile, 'utf8').trim());
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`sshd did not start (exit ${child.exitCode ?? 'none'}):\n${text}`);
    }
    execFileSync('sleep', ['0.05']);
  }
}

/** Children of a process, from /proc. */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
}

/**
 * Makes `options.hosts` namespace hosts with sshd. Call {@link NetnsHosts.destroy} in afterAll;
 * it also runs on process exit, and the next run sweeps what a killed run left.
 *
 * @throws unless running as root with iproute2 and openssh-server installed.
 */
export function createNetnsHosts(options: NetnsHostsOptions): NetnsHosts {
  if (process.getuid?.() !== 0) {
    throw new Error('The SSH host tests make network namespaces and run sshd: they must run as root (sudo).');
  }
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install openssh-server (scripts/install-system-packages.sh).`);
  sweepStaleNetnsHosts();
  const runId = `${process.pid.toString(16).padStart(6, '0').slice(-6)}${randomBytes(1).toString('hex')}`;
  const dir = mkdtempSync(join(testRoot(), 'netns-'));
  const x = pickSubnet();
  const subnet = `10.231.${x}.0/24`;
  const bridge = `ql${runId}b`;
  const bridgeAddress = `10.231.${x}.1`;
  const made: { namespaces: string[]; links: string[]; pids: number[] } = { namespaces: [], links: [], pids: [] };
  let destroyed = false;

  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    process.removeListener('exit', destroy);
    for (const pid of made.pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    for (const namespace of made.namespaces) {
      killNamespace(namespace);
      tryIp(['netns', 'del', namespace]);
    }
    for (const link of made.links) tryIp(['link', 'del', link]);
  };
  process.on('exit', destroy);

  try {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
    const clientKey = join(dir, 'client_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'qemu-lab-test-client', '-f', clientKey]);
    const clientPublicKey = readFileSync(`${clientKey}.pub`, 'utf8').trim();
    const authorizedKeys = join(dir, 'authorized_keys');
    writeFileSync(authorizedKeys, `${clientPublicKey}\n`, { mode: 0o600 });
    let shadow: string | undefined;
    if (options.rootPassword !== undefined) {
      const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: `${options.rootPassword}\n`, encoding: 'utf8' }).trim();
      const lines = readFileSync('/etc/shadow', 'utf8').split('\n').map((line) => {
        const fields = line.split(':');
        if (fields[0] !== 'root') return line;
        fields[1] = hash;
        return fields.join(':');
      });
      shadow = join(dir, 'shadow');
      writeFileSync(shadow, lines.join('\n'), { mode: 0o640 });
    }

    made.links.push(bridge);
    ip(['link', 'add', bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${bridgeAddress}/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);

    const guestLan: GuestLan | undefined = options.guestLan === true ? { bridge: GUEST_LAN_BRIDGE, prefix: `10.232.${x}` } : undefined;
    const lanSwitch = `ql${runId}s`;
    if (guestLan !== undefined) {
      made.links.push(lanSwitch);
      ip(['link', 'add', lanSwitch, 'type', 'bridge']);
      ip(['link', 'set', lanSwitch, 'up']);
    }

    const hosts: NetnsHost[] = [];
    for (let index = 1; index <= options.hosts; index += 1) {
      const namespace = `${NETNS_PREFIX}${runId}-h${index}`;
      const vethRoot = `ql${runId}v${index}`;
      const address = `10.231.${x}.${10 + index}`;
      made.namespaces.push(namespace);
      ip(['netns', 'add', namespace]);
      made.links.push(vethRoot);
      ip(['link', 'add', vethRoot, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
      ip(['link', 'set', vethRoot, 'master', bridge, 'up']);
      ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
      ip(['-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      ip(['-n', namespace, 'link', 'set', 'eth0', 'up']);
      if (guestLan !== undefined) {
        const lanRoot = `ql${runId}l${index}`;
        made.links.push(lanRoot);
        ip(['link', 'add', lanRoot, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', namespace]);
        ip(['link', 'set', lanRoot, 'master', lanSwitch, 'up']);
        ip(['-n', namespace, 'link', 'add', guestLan.bridge, 'type', 'bridge']);
        ip(['-n', namespace, 'addr', 'add', `${guestLan.prefix}.${index}/24`, 'dev', guestLan.bridge]);
        ip(['-n', namespace, 'link', 'set', 'lan0', 'master', guestLan.bridge, 'up']);
        ip(['-n', namespace, 'link', 'set', guestLan.bridge, 'up']);
      }

      const hostDir = join(dir, `h${index}`);
      mkdirSync(hostDir);
      const hostKeyPath = join(hostDir, 'ssh_host_ed25519_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `h${index}`, '-f', hostKeyPath]);
      const hostKeyLine = readFileSync(`${hostKeyPath}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
      const hostKey = Buffer.from(hostKeyLine.split(' ')[1] ?? '', 'base64');
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
      const config = join(hostDir, 'sshd_config');
      const pidFile = join(hostDir, 'sshd.pid');
      const sshdLog = join(hostDir, 'sshd.log');
      writeFileSync(
        config,
        sshdConfig(
          {
            ListenAddress: `${address}:22`,
            HostKey: hostKeyPath,
            PidFile: pidFile,
            AuthorizedKeysFile: authorizedKeys,
            PermitRootLogin: 'yes',
            PubkeyAuthentication: 'yes',
            PasswordAuthentication: options.rootPassword === undefined ? 'no' : 'yes',
            KbdInteractiveAuthentication: 'no',
            UsePAM: 'no',
            StrictModes: 'no',
            AllowTcpForwarding: 'yes',
            AllowStreamLocalForwarding: 'yes',
            AllowAgentForwarding: 'no',
            X11Forwarding: 'no',
            MaxSessions: '16',
            MaxStartups: '64',
            Subsystem: 'sftp internal-sftp',
            LogLevel: 'VERBOSE',
            PrintMotd: 'no',
            UseDNS: 'no',
          },
          options.sshdConfig ?? [],
        ),
      );
      const sshdArgv = [SSHD, '-D', '-f', config, '-h', hostKeyPath, '-E', sshdLog];
      // sshd runs in a mount namespace of its own where root's shell start-up files are empty
      // (/dev/null over them) and, with a password, /etc/shadow is a private copy: nothing of
      // this machine's is touched, and the rest of its files are shared as they are.
      const mounts = [...(shadow === undefined ? [] : [shadow, '/etc/shadow']), ...shellStartupFiles().flatMap((path) => ['/dev/null', path])];
      const inner = [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        'while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 1; shift 2; done; shift; exec "$@"',
        'sh',
        ...mounts,
        '--',
        ...sshdArgv,
      ];
      const child = spawn('ip', ['netns', 'exec', namespace, ...inner], { stdio: 'ignore', detached: true });
      child.unref();
      if (child.pid !== undefined) made.pids.push(child.pid);
      const sshdPid = waitForSshd(child, sshdLog, pidFile);
      made.pids.push(sshdPid);
      hosts.push({
        index,
        namespace,
        address,
        port: 22,
        dir: hostDir,
        hostKeyPath,
        hostKey,
        hostKeyLine,
        fingerprint,
        vethRoot,
        sshdPid,
        sshdLog,
      });
    }
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, hosts.map((h) => `${h.address} ${h.hostKeyLine}\n`).join(''), { mode: 0o600 });

    const assertAlive = (): void => {
      const present = new Set(namespaces());
      for (const host of hosts) {
        if (destroyed || !present.has(host.namespace)) {
          throw new Error(`Network namespace ${host.namespace} does not exist: refusing to send anything to ${host.address}.`);
        }
      }
    };
    return {
      runId,
      dir,
      subnet,
      bridge,
      bridgeAddress,
      hosts,
      clientKey,
      clientPublicKey,
      guestLan,
      knownHosts,
      assertAlive,
      exec: (host, argv) => execFileSync('ip', ['netns', 'exec', host.namespace, ...argv], { encoding: 'utf8' }),
      killSessions: (host) => {
        const children = childrenOf(host.sshdPid);
        for (const pid of children) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Gone.
          }
        }
        return children.length;
      },
      setLink: (host, up) => {
        ip(['link', 'set', host.vethRoot, up ? 'up' : 'down']);
      },
      setReachableFromRoot: (host, reachable) => {
        ip(['-n', host.namespace, 'route', reachable ? 'del' : 'add', 'blackhole', `${bridgeAddress}/32`]);
      },
      destroy,
    };
  } catch (error) {
    destroy();
    throw error;
  }
}
