import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { isOurQemu, readPidFile, waitForExit } from './process';
import { sleep } from '../../infrastructure/support/sleep';

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
  /** The pidfile QEMU writes (and the marker that the pid is ours). */
  readonly pidFile: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** How long a cancelled start waits for QEMU's pidfile, the only place its pid is known on every host. */
const CANCEL_PIDFILE_WAIT_MS = 10_000;

async function tail(system: HostSystem, path: string, lines: number): Promise<string> {
  return ((await system.readText(path)) ?? '').trim().split('\n').slice(-lines).join('\n');
}

/**
 * Starts QEMU in its own session on the host (so it survives the editor, the CLI and the SSH
 * connection that started it) with its output in a log file, and waits until its QMP socket
 * exists. QEMU exiting during start-up becomes a {@link VmError} carrying QEMU's own words.
 */
export async function launchDetachedQemu(system: HostSystem, options: LaunchOptions): Promise<LaunchedQemu> {
  try {
    await system.startDetached(options.qemuBinary, options.argv, options.stderrLog);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new VmError(`Could not start ${options.qemuBinary} on host "${system.name}": ${(error as Error).message}`, {
      hint: missing ? 'Install QEMU: apt-get install qemu-system-x86' : undefined,
      cause: error,
    });
  }
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  const pause = system.isLocal ? 25 : 200;
  // Before QEMU writes its pidfile there is no pid to watch; after that, an exit means failure.
  let pid: number | undefined;
  for (;;) {
    pid ??= await readPidFile(system, options.pidFile);
    if (pid !== undefined && (await system.isSocket(options.qmpSocket))) return { pid };
    const log = await tail(system, options.stderrLog, 8);
    // Without a pid yet, words in the log and no pidfile for 2 s mean QEMU stopped at its options
    // (it can print warnings and still run, so words alone are not enough).
    const gone = pid !== undefined ? !(await isOurQemu(system, pid, options.pidFile)) : log !== '' && Date.now() - startedAt > 2_000;
    if (gone) {
      throw new VmError(`QEMU exited while starting${log ? `:\n${log}` : '.'}`, { hint: `QEMU's full output is in ${options.stderrLog} on host "${system.name}".` });
    }
    if (options.signal?.aborted) {
      await endCancelled(system, options, pid);
      throw new VmError('Boot cancelled.', { hint: 'The QEMU it had started was ended.' });
    }
    if (Date.now() > deadline) {
      if (pid !== undefined) await system.kill(pid);
      throw new VmError(`QEMU did not open its QMP socket within ${options.timeoutMs / 1000} s.`, {
        hint: log ? `QEMU said:\n${log}` : `Its output is in ${options.stderrLog} on host "${system.name}".`,
      });
    }
    await sleep(pause);
  }
}

/**
 * Ends a QEMU whose start was cancelled. QEMU was started (`setsid -f` over SSH: the pid is
 * known only from its pidfile), so a cancel before the pidfile waits for it — QEMU writes it
 * right after parsing its options — then kills that pid and waits until it is gone.
 *
 * @throws VmError when QEMU wrote no pidfile in time and did not exit either: it may still run.
 */
async function endCancelled(system: HostSystem, options: LaunchOptions, known: number | undefined): Promise<void> {
  const since = Date.now();
  let pid = known;
  while (pid === undefined) {
    pid = await readPidFile(system, options.pidFile);
    if (pid !== undefined) break;
    // Words in the log and no pidfile for 2 s: QEMU stopped at its options (as in the loop above).
    if (Date.now() - since > 2_000 && (await tail(system, options.stderrLog, 1)) !== '') return;
    if (Date.now() - since > CANCEL_PIDFILE_WAIT_MS) {
      throw new VmError(`Boot cancelled, but QEMU wrote no pidfile within ${CANCEL_PIDFILE_WAIT_MS / 1000} s: it may still be running on host "${system.name}".`, {
        hint: `Look for a qemu-system process whose arguments name ${options.pidFile} and end it.`,
      });
    }
    await sleep(system.isLocal ? 25 : 200);
  }
  await system.kill(pid);
  if (!(await waitForExit(system, pid, options.pidFile, 5_000))) {
    throw new VmError(`Boot cancelled, but QEMU (pid ${pid} on host "${system.name}") did not exit after SIGKILL.`, { hint: `End it by hand: kill -9 ${pid}.` });
  }
}
