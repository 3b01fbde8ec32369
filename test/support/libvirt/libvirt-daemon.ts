/**
 * Real libvirt daemons for tests: `virtlogd` and `libvirtd` (Debian 12's libvirt 9.0) started
 * directly, without systemd, each pair with its own config, runtime, state, log and cache
 * directories under the test root — on this machine or inside a network-namespace host.
 *
 * libvirt's directories are fixed for a root daemon (`/etc/libvirt`, `/run/libvirt`,
 * `/var/lib/libvirt`, …), so each pair runs in a mount namespace of its own where a folder of the
 * test is bind-mounted over each, and in a PID namespace of its own whose init is `reaper.py`: QEMU,
 * which libvirtd daemonizes, is reparented to it and reaped (a zombie QEMU looks alive to
 * libvirtd), and stopping is exact — SIGKILL to that init ends everything in the namespace and
 * nothing else. Clients reach the daemon through its socket: `qemu+unix:///system?socket=…`.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetnsHost } from '../netns/netns-hosts';
import { childrenOf } from '../netns/netns-hosts';

const PYTHON = '/usr/bin/python3';
const REAPER = join(__dirname, 'reaper.py');
const START_TIMEOUT_MS = 90_000;

/** libvirt's fixed directories, each replaced by a folder of the test (see the file comment). */
const DIRECTORIES = {
  etc: '/etc/libvirt',
  run: '/run/libvirt',
  lib: '/var/lib/libvirt',
  log: '/var/log/libvirt',
  cache: '/var/cache/libvirt',
} as const;

/** A running pair of test daemons. */
export interface LibvirtDaemon {
  /** The folder its directories live in. */
  readonly dir: string;
  /** libvirtd's read-write socket, as this machine's (and every namespace host's) filesystem shows it. */
  readonly socket: string;
  /** A URI for `virsh -c` reaching it through its socket. */
  readonly uri: string;
  /** The namespace host it runs in; undefined = this machine's network. */
  readonly host: NetnsHost | undefined;
  /** The init of its PID namespace (as this machine sees it): killing it ends the daemons and their QEMUs. */
  readonly initPid: number;
  /** What libvirtd wrote to stderr, for a failing test's message. */
  log(): string;
  /** Ends the daemons and every QEMU they started, and waits until they are gone. Idempotent. */
  stop(): void;
}

/** Options of {@link startLibvirtDaemon}. */
export interface LibvirtDaemonOptions {
  /** A folder name under the test root (made fresh with a random suffix). */
  readonly name: string;
  /** Run inside this namespace host (its network only: the filesystem is shared). */
  readonly host?: NetnsHost;
  /**
   * A folder the daemons see as `/etc/ssh`: a libvirtd that migrates peer-to-peer (`virsh migrate
   * --p2p` to a `qemu+ssh://` URI) runs ssh, which reads its `ssh_config` (identity file, known
   * hosts) from there — as a real hypervisor's root reads its own. Nothing else changes.
   */
  readonly sshConfigDir?: string;
}

function testRoot(): string {
  const root = process.env.QEMU_LAB_TEST_ROOT;
  if (root === undefined) throw new Error('QEMU_LAB_TEST_ROOT is not set: run with the integration project (its globalSetup sets it).');
  return root;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  execFileSync('sleep', [String(ms / 1000)]);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** libvirt's config for a test daemon: root-only socket without auth, QEMU as root without relabelling. */
function writeConfig(etc: string): void {
  writeFileSync(
    join(etc, 'libvirtd.conf'),
    ['unix_sock_group = "root"', 'unix_sock_ro_perms = "0700"', 'unix_sock_rw_perms = "0700"', 'auth_unix_ro = "none"', 'auth_unix_rw = "none"', 'log_outputs = "3:stderr"', ''].join('\n'),
  );
  // The test root is root's own: QEMU runs as root and libvirt leaves file ownership alone.
  writeFileSync(join(etc, 'qemu.conf'), ['user = "root"', 'group = "root"', 'dynamic_ownership = 0', 'security_driver = "none"', ''].join('\n'));
  writeFileSync(join(etc, 'virtlogd.conf'), 'log_outputs = "3:stderr"\n');
}

function virshAnswers(uri: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('virsh', ['-c', uri, '--quiet', 'version'], { timeout: 30_000 }, (error) => resolve(error === null));
  });
}

/**
 * Starts virtlogd and libvirtd (see the file comment) and waits until virsh gets an answer.
 * Call {@link LibvirtDaemon.stop} in afterAll; it also runs on process exit.
 */
export async function startLibvirtDaemon(options: LibvirtDaemonOptions): Promise<LibvirtDaemon> {
  if (process.getuid?.() !== 0) throw new Error('The libvirt tests start libvirtd as root: run them as root (sudo).');
  for (const program of ['/usr/sbin/libvirtd', '/usr/sbin/virtlogd', '/usr/bin/virsh', PYTHON]) {
    if (!existsSync(program)) throw new Error(`${program} is missing: run scripts/install-system-packages.sh.`);
  }
  const dir = mkdtempSync(join(testRoot(), `libvirt-${options.name}-`));
  const binds: string[] = [];
  for (const [name, target] of Object.entries(DIRECTORIES)) {
    const source = join(dir, name);
    mkdirSync(source, { mode: 0o700 });
    binds.push(source, target);
  }
  if (options.sshConfigDir !== undefined) binds.push(options.sshConfigDir, '/etc/ssh');
  writeConfig(join(dir, 'etc'));
  const libvirtdLog = join(dir, 'libvirtd.stderr');
  const virtlogdLog = join(dir, 'virtlogd.stderr');
  const socket = join(dir, 'run', 'libvirt-sock');
  const uri = `qemu+unix:///system?socket=${socket}`;
  const inner = [
    'unshare',
    '--mount',
    '--pid',
    '--fork',
    '--propagation',
    'private',
    PYTHON,
    REAPER,
    ...binds,
    '--',
    // Their pidfiles default to /run itself, shared by every daemon: each pair keeps its own.
    `exec /usr/sbin/virtlogd --pid-file ${DIRECTORIES.run}/virtlogd.pid > '${virtlogdLog}' 2>&1`,
    // libvirtd connects to virtlogd's socket at start: give it a moment to appear.
    `while [ ! -S ${DIRECTORIES.run}/virtlogd-sock ]; do sleep 0.05; done; exec /usr/sbin/libvirtd --pid-file ${DIRECTORIES.run}/libvirtd.pid > '${libvirtdLog}' 2>&1`,
  ];
  const argv = options.host === undefined ? inner : ['ip', 'netns', 'exec', options.host.namespace, ...inner];
  const child: ChildProcess = spawn(argv[0] ?? 'unshare', argv.slice(1), { stdio: 'ignore', detached: true });
  child.unref();
  const unsharePid = child.pid;
  if (unsharePid === undefined) throw new Error('Could not start unshare for libvirtd.');

  let initPid = 0;
  let stopped = false;
  const log = (): string => (existsSync(libvirtdLog) ? readFileSync(libvirtdLog, 'utf8') : '');
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    // The namespace's init first: the kernel then kills everything in the namespace.
    for (const pid of [initPid, unsharePid]) {
      if (pid === 0) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    const deadline = Date.now() + 10_000;
    while ([initPid, unsharePid].some((pid) => pid !== 0 && alive(pid)) && Date.now() < deadline) sleep(50);
  };
  process.on('exit', stop);

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (initPid === 0) {
      initPid = childrenOf(unsharePid)[0] ?? 0;
      if (initPid !== 0) break;
      if (!alive(unsharePid) || Date.now() > deadline) throw new Error('unshare ended before starting the libvirt daemons.');
      await pause(20);
    }
    while (!(existsSync(socket) && (await virshAnswers(uri)))) {
      if (!alive(initPid) || Date.now() > deadline) {
        const virtlogd = existsSync(virtlogdLog) ? readFileSync(virtlogdLog, 'utf8') : '(no output)';
        throw new Error(`libvirtd did not answer on ${socket} within ${START_TIMEOUT_MS / 1000} s (init ${alive(initPid) ? 'alive' : 'gone'}):\n${log().slice(-2000)}\nvirtlogd: ${virtlogd.slice(-1000)}`);
      }
      await pause(100);
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { dir, socket, uri, host: options.host, initPid, log, stop };
}
