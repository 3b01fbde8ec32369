import { spawn } from 'node:child_process';
import { open, readFile, stat } from 'node:fs/promises';
import { VmError } from '../errors';

/** A QEMU process started detached from this process. */
export interface LaunchedQemu {
  readonly pid: number;
}

/** Options for {@link launchDetachedQemu}. */
export interface LaunchOptions {
  readonly qemuBinary: string;
  readonly argv: readonly string[];
  /** QEMU's stdout and stderr go here, so a VM that dies later can say why. */
  readonly stderrLog: string;
  /** The QMP socket that must appear before the launch counts as done. */
  readonly qmpSocket: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function socketExists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isSocket(), () => false);
}

/**
 * Starts QEMU in its own session (so it survives the editor or CLI that started it) with its
 * output in a log file, and waits until its QMP socket exists. QEMU exiting during start-up
 * becomes a {@link VmError} carrying QEMU's own words.
 */
export async function launchDetachedQemu(options: LaunchOptions): Promise<LaunchedQemu> {
  const log = await open(options.stderrLog, 'a', 0o600);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  let pid: number | undefined;
  try {
    const child = spawn(options.qemuBinary, [...options.argv], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
    });
    child.unref();
    pid = child.pid;
  } finally {
    await log.close();
  }

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (spawnError !== undefined) {
      throw new VmError(`Could not start ${options.qemuBinary}: ${spawnError.message}`, {
        hint: spawnError.code === 'ENOENT' ? 'Install QEMU: apt-get install qemu-system-x86' : undefined,
        cause: spawnError,
      });
    }
    if (exited !== undefined) {
      const why = await tail(options.stderrLog, 8);
      throw new VmError(`QEMU exited while starting (${exited.code !== null ? `code ${exited.code}` : exited.signal}):\n${why}`, {
        hint: `QEMU's full output is in ${options.stderrLog}.`,
      });
    }
    if (pid !== undefined && (await socketExists(options.qmpSocket))) return { pid };
    if (options.signal?.aborted) {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      throw new VmError('Boot cancelled.');
    }
    if (Date.now() > deadline) {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      throw new VmError(`QEMU did not open its QMP socket within ${options.timeoutMs / 1000} s.`, {
        hint: `Its output is in ${options.stderrLog}.`,
      });
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
