/**
 * Running `--during` benchmarks at a place — a host, or inside the guest — so that they survive
 * what a migration does to connections: every benchmark runs detached (`setsid`), writing to a
 * file there, and is read from that file. The SSH session into the guest breaks at the
 * switch-over with user networking (the forwarded port belongs to the source QEMU); the
 * benchmark goes on in the guest, and its file is read again at the guest's new address.
 */
import { describeError } from '../../errors';
import type { ProgramResult } from '../../infrastructure/hosts/system/run-program';
import { sleep } from '../../infrastructure/support/sleep';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { runInGuest } from '../../machines/guest-access/guest-ssh';
import type { VmRecord } from '../../machines/vm/vm-record';
import { DuringBenchmarkError } from '../errors';

/** Starts `"$@"` in its own session with its output in `$1`, and prints its pid. Constant: the values arrive as arguments. */
const LAUNCH = 'out=$1; shift; setsid "$@" >"$out" 2>&1 </dev/null & echo $!';

/** How long a short command at a place may take (a guest under TCG answers SSH slowly). */
const SHORT_TIMEOUT_MS = 20_000;

/** Where a benchmark runs now. A guest's place changes when it migrates, so it is looked up each time. */
export interface Shell {
  /** For messages: `host "local"`, `the guest`. */
  readonly where: string;
  /** The lab host this runs on now (for the guest: the VM's host now). */
  host(): Promise<string>;
  /** Runs a short command there and collects its output (never throws for a non-zero exit). */
  run(argv: readonly string[], timeoutMs?: number): Promise<ProgramResult>;
  /** A file's text there, or undefined when it cannot be read now. */
  read(path: string): Promise<string | undefined>;
  /**
   * Follows a file as it grows, from line `fromLine` (1-based), until `signal` aborts, the
   * connection ends or `limitMs` passed; each piece of text as it arrives. One command for the
   * whole follow (`tail -f`) where a command is needed, never one per read: on a host with a
   * heavy shell start-up every command costs a second or more.
   */
  follow(path: string, fromLine: number, onText: (text: string) => void, signal: AbortSignal, limitMs: number): Promise<void>;
}

/** A detached program's pid, read from {@link LAUNCH}'s output. */
function pidOf(result: ProgramResult, what: string, where: string): number {
  const pid = Number(result.stdout.trim());
  // Never 0 or 1 (or nothing): killing that would hit a process group or init.
  if (result.exitCode !== 0 || !Number.isSafeInteger(pid) || pid <= 1) {
    throw new DuringBenchmarkError(`${what} could not be started on ${where}: ${result.stderr.trim() || result.stdout.trim() || `exit ${result.exitCode}`}`, {
      hint: 'Check that sysbench and iperf3 are installed there (apt-get install sysbench iperf3).',
    });
  }
  return pid;
}

/** Starts `argv` detached at a place with its output in `outFile`; returns its pid there. */
export async function launchDetached(shell: Shell, argv: readonly string[], outFile: string): Promise<number> {
  const result = await shell.run(['sh', '-c', LAUNCH, 'sh', outFile, ...argv]);
  return pidOf(result, argv[0] ?? 'a program', shell.where);
}

/** SIGKILLs a detached program at a place; a program that is gone already is not an error. */
export async function killDetached(shell: Shell, pid: number): Promise<void> {
  if (!Number.isSafeInteger(pid) || pid <= 1) return;
  await shell.run(['kill', '-9', String(pid)], 10_000).catch(() => undefined);
}

/** Follows a local file by reading what was added, twice a second (no process per read). */
function pollFollow(system: HostSystem): Shell['follow'] {
  return async (path, fromLine, onText, signal) => {
    let offset = -1;
    while (!signal.aborted) {
      const text = await system.readText(path);
      if (text !== undefined) {
        if (offset < 0) {
          // Skip the lines already had.
          let cut = 0;
          for (let line = 1; line < fromLine && cut >= 0; line += 1) cut = text.indexOf('\n', cut) + 1 || -1;
          offset = cut < 0 ? text.length : cut;
        }
        if (text.length > offset) {
          onText(text.slice(offset));
          offset = text.length;
        }
      }
      await sleep(500, signal);
    }
  };
}

/** Runs a program somewhere, passing its output on as it comes. */
type StreamingRun = (argv: readonly string[], options: { onStdout: (text: string) => void; signal: AbortSignal; timeoutMs: number; check: false }) => Promise<ProgramResult>;

/** Follows a file with one `tail -f` run through `run`, until it ends, `signal` aborts or `limitMs` passed. */
async function tailFollow(run: StreamingRun, path: string, fromLine: number, onText: (text: string) => void, signal: AbortSignal, limitMs: number): Promise<void> {
  if (signal.aborted) return;
  try {
    await run(['tail', '-n', `+${fromLine}`, '-f', path], { onStdout: onText, signal, timeoutMs: limitMs, check: false });
  } catch (error) {
    // Ended on purpose (the reader was told to stop): not a failure.
    if (!signal.aborted) throw error;
  }
}

/** A host as a place to run benchmarks. */
export function hostShell(system: HostSystem): Shell {
  return {
    where: `host "${system.name}"`,
    host: async () => system.name,
    run: (argv, timeoutMs = SHORT_TIMEOUT_MS) => system.run(argv[0] ?? 'true', argv.slice(1), { timeoutMs, check: false }),
    read: (path) => system.readText(path),
    // Here files are read directly; on a remote host one `tail -f` streams through its connection.
    follow: system.isLocal
      ? pollFollow(system)
      : (path, fromLine, onText, signal, limitMs) => tailFollow((argv, options) => system.run(argv[0] ?? 'true', argv.slice(1), options), path, fromLine, onText, signal, limitMs),
  };
}

/** Where the guest is now: its record (SSH endpoint, forwarded ports) and its host. */
export interface GuestPlace {
  readonly record: VmRecord;
  readonly system: HostSystem;
}

/**
 * The guest as a place to run benchmarks, where `locate` says it is for each command (a
 * `GuestLocator` keeps that while the guest stays put and asks again while it moves), so
 * that commands after the switch-over reach the guest at its new host and port.
 */
export function guestShell(locate: () => Promise<GuestPlace | undefined>): Shell {
  const place = async (): Promise<GuestPlace & { ssh: NonNullable<VmRecord['ssh']> }> => {
    const found = await locate();
    if (found === undefined) throw new DuringBenchmarkError('The VM is not running, so nothing can run in its guest.');
    if (found.record.ssh === undefined) throw new DuringBenchmarkError(`VM "${found.record.vmName}" has no SSH endpoint, so nothing can run in its guest.`);
    return { ...found, ssh: found.record.ssh };
  };
  const failed = (error: unknown): ProgramResult => ({ exitCode: null, signal: null, stdout: '', stderr: describeError(error) });
  return {
    where: 'the guest',
    host: async () => (await place()).system.name,
    run: async (argv, timeoutMs = SHORT_TIMEOUT_MS) => {
      try {
        const { system, ssh } = await place();
        return await runInGuest(system, ssh, argv, { timeoutMs, check: false });
      } catch (error) {
        // A guest that cannot be reached now (mid switch-over) is an answer, not a crash.
        return failed(error);
      }
    },
    read: async (path) => {
      try {
        const { system, ssh } = await place();
        const result = await runInGuest(system, ssh, ['cat', '--', path], { timeoutMs: SHORT_TIMEOUT_MS, check: false });
        return result.exitCode === 0 ? result.stdout : undefined;
      } catch {
        return undefined;
      }
    },
    follow: async (path, fromLine, onText, signal, limitMs) => {
      const { system, ssh } = await place();
      // ssh runs on the guest's host; through a remote host's connection its output streams too.
      await tailFollow((argv, options) => runInGuest(system, ssh, argv, options), path, fromLine, onText, signal, limitMs);
    },
  };
}
