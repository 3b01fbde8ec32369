import { spawn } from 'node:child_process';
import { chmod, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import type { Duplex } from 'node:stream';
import { writeFileAtomically } from '../../files/atomic-write';
import { freeLoopbackPort } from './free-port';
import { runProgram, type ProgramResult } from './run-program';
import type { KeepOutput } from '../output-collector';
import type { HostTransport } from '../host';
import { OPEN_HOST_GATE, type HostGate } from '../host-gate';

/** Options of {@link HostSystem.run}. */
export interface HostSystemRunOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly check?: boolean;
  readonly missingHint?: string;
  /** Called with each piece of standard output as it comes: a program that follows a file streams through one command. */
  readonly onStdout?: (text: string) => void;
  /** `tail`: keep only the output's end in the result (see {@link KeepOutput}); every piece still goes to `onStdout`. */
  readonly keepStdout?: KeepOutput;
}

/**
 * What running a VM needs from the host it runs on: files, processes, programs, sockets. On
 * this machine it uses the file system and Node directly (no process per poll); on a remote
 * host every operation is a program run over its SSH connection, each argument passed as it is
 * (never a shell line pasted together), and sockets are forwarded through the connection.
 */
export interface HostSystem {
  /** `local`, or the lab's name of the remote host. */
  readonly name: string;
  readonly isLocal: boolean;
  /** `mkdir -p` with mode 0700, also tightening an existing directory. */
  makePrivateDirectory(path: string): Promise<void>;
  /** The file's text, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>;
  /**
   * Writes through a temporary file with a random name created exclusively (mode 0600), synced,
   * and renamed over `path`: never a torn file, never a write through a planted symlink.
   */
  writeTextAtomically(path: string, text: string): Promise<void>;
  removeFiles(paths: readonly string[]): Promise<void>;
  isSocket(path: string): Promise<boolean>;
  /** The user's home directory there. */
  home(): Promise<string>;
  /** Sends SIGKILL; a process that is gone already is not an error. */
  kill(pid: number): Promise<void>;
  /** A TCP port of 127.0.0.1 there that nothing listens on now. */
  freeLoopbackPort(): Promise<number>;
  /** Runs a program there and collects its output. */
  run(program: string, args: readonly string[], options?: HostSystemRunOptions): Promise<ProgramResult>;
  /**
   * Starts a program in its own session so it outlives this process and the connection, with
   * its output appended to `log`. Resolves once it is started, not when it ends.
   */
  startDetached(program: string, args: readonly string[], log: string): Promise<void>;
  /** A stream connected to a UNIX socket there (a QMP or serial socket). */
  openUnixSocket(path: string): Promise<Duplex>;
  /**
   * A stream connected to `host:port` as that host sees it: on a remote host through its SSH
   * connection (a jump), e.g. to a guest's SSH port forwarded on that host's loopback.
   */
  openTcp(host: string, port: number): Promise<Duplex>;
  /**
   * Makes a local file available there and returns its path there: on this machine the file
   * itself; on a remote host a copy under `remoteDirectory`, sent only when its SHA-256 differs.
   */
  place(localPath: string, remoteDirectory: string, mode?: number): Promise<string>;
}

/**
 * {@link HostSystem} of this machine. Whatever starts a process, signals one or opens a socket
 * asks `gate` first (closed: HostAccessRefusedError, nothing started); reading and writing its
 * own files does not. The editor gets it from its HostPool, whose gate follows Workspace Trust.
 */
export class LocalHostSystem implements HostSystem {
  readonly name = 'local';
  readonly isLocal = true;

  constructor(private readonly gate: HostGate = OPEN_HOST_GATE) {}

  async makePrivateDirectory(path: string): Promise<void> {
    await mkdir(path, { recursive: true, mode: 0o700 });
    await chmod(path, 0o700);
  }

  readText(path: string): Promise<string | undefined> {
    return readFile(path, 'utf8').catch(() => undefined);
  }

  writeTextAtomically(path: string, text: string): Promise<void> {
    return writeFileAtomically(path, text, { mode: 0o600 });
  }

  async removeFiles(paths: readonly string[]): Promise<void> {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  }

  isSocket(path: string): Promise<boolean> {
    return stat(path).then((s) => s.isSocket(), () => false);
  }

  async home(): Promise<string> {
    return homedir();
  }

  async kill(pid: number): Promise<void> {
    // 0, -1 and 1 would signal a process group, every process, or init: never a QEMU of ours.
    if (!Number.isInteger(pid) || pid <= 1) return;
    this.gate.assertOpen(`signal process ${pid}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  freeLoopbackPort(): Promise<number> {
    try {
      this.gate.assertOpen('look for a free port');
    } catch (error) {
      return Promise.reject(error);
    }
    return freeLoopbackPort();
  }

  run(program: string, args: readonly string[], options: HostSystemRunOptions = {}): Promise<ProgramResult> {
    try {
      this.gate.assertOpen(`run ${program}`);
    } catch (error) {
      return Promise.reject(error);
    }
    return runProgram(program, args, options);
  }

  async startDetached(program: string, args: readonly string[], log: string): Promise<void> {
    this.gate.assertOpen(`start ${program}`);
    const output = await open(log, 'a', 0o600);
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(program, [...args], { detached: true, stdio: ['ignore', output.fd, output.fd] });
        child.once('error', reject);
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    } finally {
      await output.close();
    }
  }

  async place(localPath: string): Promise<string> {
    return localPath;
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    this.gate.assertOpen(`connect to ${path}`);
    const { createConnection } = await import('node:net');
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  async openTcp(host: string, port: number): Promise<Duplex> {
    this.gate.assertOpen(`connect to ${host}:${port}`);
    const { createConnection } = await import('node:net');
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }
}

/** Listening and connected local ports in /proc/net/tcp text (hex `addr:port` columns). */
export function usedPorts(procNetTcp: string): Set<number> {
  const used = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const local = line.trim().split(/\s+/)[1];
    const port = local?.split(':')[1];
    if (port !== undefined && /^[0-9A-Fa-f]{4}$/.test(port)) used.add(Number.parseInt(port, 16));
  }
  return used;
}

/** {@link HostSystem} of a host reached through a {@link HostTransport} (SSH). */
export class RemoteHostSystem implements HostSystem {
  readonly isLocal = false;
  private homeDirectory: Promise<string> | undefined;

  constructor(
    readonly name: string,
    private readonly transport: HostTransport,
  ) {}

  async makePrivateDirectory(path: string): Promise<void> {
    // umask 077: the directories mkdir -p makes on the way are private too (with -m alone they
    // follow the umask, 0775 under umask 002, and the state check would then refuse them).
    await this.transport.run('sh', ['-c', 'umask 077 && mkdir -p -- "$1" && chmod 700 -- "$1"', 'sh', path]);
  }

  async readText(path: string): Promise<string | undefined> {
    const result = await this.transport.run('cat', ['--', path], { check: false });
    return result.exitCode === 0 ? result.stdout : undefined;
  }

  async writeTextAtomically(path: string, text: string): Promise<void> {
    // The same steps as writeFileAtomically here: mktemp makes a random name with O_EXCL (mode
    // 0600), the file and then its directory are synced, and the temporary file is removed on
    // failure. The script is constant; the path arrives as $1, quoted by the transport.
    const script = [
      'umask 077',
      't=$(mktemp -- "$1.XXXXXXXXXX.tmp") || exit 1',
      'if cat > "$t" && { sync -- "$t" 2>/dev/null || sync; } && mv -f -- "$t" "$1"; then sync -- "$(dirname -- "$1")" 2>/dev/null; exit 0; fi',
      'rm -f -- "$t"',
      'exit 1',
    ].join('\n');
    await this.transport.run('sh', ['-c', script, 'sh', path], { stdin: text });
  }

  async removeFiles(paths: readonly string[]): Promise<void> {
    if (paths.length > 0) await this.transport.run('rm', ['-f', '--', ...paths]);
  }

  async isSocket(path: string): Promise<boolean> {
    return (await this.transport.run('test', ['-S', path], { check: false })).exitCode === 0;
  }

  home(): Promise<string> {
    this.homeDirectory ??= this.transport.run('sh', ['-c', 'printf %s "$HOME"']).then((r) => r.stdout);
    return this.homeDirectory;
  }

  async kill(pid: number): Promise<void> {
    if (!Number.isInteger(pid) || pid <= 1) return;
    await this.transport.run('kill', ['-s', 'KILL', String(pid)], { check: false });
  }

  async freeLoopbackPort(): Promise<number> {
    // One command for both tables (tcp6 is missing where IPv6 is off: cat still prints tcp);
    // bounded, but past a slow shell start-up (pyenv's lock waits up to 60 s).
    const tables = await this.transport.run('cat', ['--', '/proc/net/tcp', '/proc/net/tcp6'], { check: false, timeoutMs: 120_000 });
    const used = usedPorts(tables.stdout);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const port = 20_000 + Math.floor(Math.random() * 40_000);
      if (!used.has(port)) return port;
    }
    throw new Error(`No free port found on host "${this.name}".`);
  }

  run(program: string, args: readonly string[], options: HostSystemRunOptions = {}): Promise<ProgramResult> {
    return this.transport.run(program, args, options);
  }

  async startDetached(program: string, args: readonly string[], log: string): Promise<void> {
    // setsid -f: a new session, so the program survives the SSH connection. The script is
    // constant; the log path, the program and its arguments arrive as "$@", quoted by the transport.
    await this.transport.run('sh', ['-c', 'log=$1; shift; umask 077; exec setsid -f "$@" >>"$log" 2>&1 </dev/null', 'sh', log, program, ...args]);
  }

  openUnixSocket(path: string): Promise<Duplex> {
    return this.transport.openUnixSocket(path);
  }

  openTcp(host: string, port: number): Promise<Duplex> {
    return this.transport.openTcp(host, port);
  }

  async place(localPath: string, remoteDirectory: string, mode = 0o644): Promise<string> {
    const target = `${remoteDirectory}/${basename(localPath)}`;
    if (target === localPath) return localPath; // A host sharing this file system (as test hosts do).
    await this.transport.run('mkdir', ['-p', '-m', '700', '--', remoteDirectory]);
    await this.transport.upload(localPath, target, { mode });
    return target;
  }
}
