import { randomBytes } from 'node:crypto';
import { assertPrivateState, chainBelow, REMOTE_STAT_SCRIPT, remoteTrustProblem, StateTrustError } from '../../infrastructure/files/private-state';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { sleep } from '../../infrastructure/support/sleep';

/**
 * The longest one look-up on a remote host may take: a poll must never hang, but a host whose
 * shell start-up waits for a lock (pyenv's waits up to 60 s) must not fail either.
 */
const PROBE_TIMEOUT_MS = 120_000;

/**
 * Reads, in one command on a remote host: the record (`$2`, when given), the pid in the pidfile
 * (`$3`, else `$4` as it is), and that process's `stat` and `cmdline`. Each part but the last
 * ends with a line holding `$1`, a random token no file holds. Constant: the values arrive as
 * arguments.
 */
const PROBE_ARGS = 'sep=$1 rec=$2 pidf=$3 pid=$4';
const PROBE_READS = [
  '[ -n "$rec" ] && cat -- "$rec" 2>/dev/null',
  'printf "\\n%s\\n" "$sep"',
  '[ -n "$pidf" ] && pid=$(cat -- "$pidf" 2>/dev/null)',
  'printf "%s\\n%s\\n" "$pid" "$sep"',
  'case $pid in ""|*[!0-9]*) exit 0;; esac',
  'cat "/proc/$pid/stat" 2>/dev/null',
  'printf "\\n%s\\n" "$sep"',
  'cat "/proc/$pid/cmdline" 2>/dev/null',
];
const PROBE = [PROBE_ARGS, ...PROBE_READS].join('\n');
/**
 * {@link PROBE} preceded by the state-trust facts of the paths after the first four arguments
 * ({@link REMOTE_STAT_SCRIPT}) and a line holding the separator: the trust check and the reads
 * in one command.
 */
const TRUSTED_PROBE = [PROBE_ARGS, 'shift 4', `( ${REMOTE_STAT_SCRIPT} )`, 'printf "%s\\n" "$sep"', ...PROBE_READS].join('\n');

/** What {@link PROBE} printed, each part undefined when it was empty (a file missing or unreadable). */
export interface QemuProbe {
  readonly recordText: string | undefined;
  readonly pid: number | undefined;
  readonly stat: string | undefined;
  readonly cmdline: string | undefined;
}

/** Splits {@link PROBE}'s output; `separator` is the token it was given. */
export function parseQemuProbe(output: string, separator: string): QemuProbe {
  const [recordText = '', pidText = '', stat = '', cmdline = ''] = output.split(`\n${separator}\n`);
  return {
    recordText: recordText === '' ? undefined : recordText,
    pid: pidOf(pidText),
    stat: stat === '' ? undefined : stat,
    cmdline: cmdline === '' ? undefined : cmdline,
  };
}

/** A pidfile's pid; never 0 or 1 (or nothing), which would mean a process group or init. */
function pidOf(text: string | undefined): number | undefined {
  const pid = Number.parseInt((text ?? '').trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** Runs {@link PROBE} on a remote host. */
async function probe(system: HostSystem, parts: { record?: string; pidFile?: string; pid?: number }): Promise<QemuProbe> {
  const separator = `--qemu-lab-${randomBytes(8).toString('hex')}--`;
  const args = ['-c', PROBE, 'sh', separator, parts.record ?? '', parts.pidFile ?? '', parts.pid === undefined ? '' : String(parts.pid)];
  const result = await system.run('sh', args, { timeoutMs: PROBE_TIMEOUT_MS, check: false });
  return parseQemuProbe(result.stdout, separator);
}

/** The pid in a QEMU pidfile, or undefined when there is none. */
export async function readPidFile(system: HostSystem, path: string): Promise<number | undefined> {
  return pidOf(await system.readText(path));
}

/**
 * Whether a process's `/proc` files show it alive and still the QEMU we started: one of its
 * arguments must be exactly `marker` (the VM's pidfile path, which QEMU takes as a plain
 * argument — option values such as socket paths are escaped inside `key=value` lists), so a
 * reused pid never passes for our VM.
 */
export function runsOurQemu(cmdline: string | undefined, stat: string | undefined, marker: string): boolean {
  if (cmdline === undefined || stat === undefined) return false;
  // A zombie has exited; only its parent has not reaped it yet.
  const zombie = /\) Z /.test(stat);
  return !zombie && cmdline.split('\0').includes(marker);
}

/** Whether `pid` is alive and still our QEMU ({@link runsOurQemu}); one command on a remote host. */
export async function isOurQemu(system: HostSystem, pid: number, marker: string): Promise<boolean> {
  if (!system.isLocal) {
    const found = await probe(system, { pid });
    return runsOurQemu(found.cmdline, found.stat, marker);
  }
  const [cmdline, stat] = await Promise.all([system.readText(`/proc/${pid}/cmdline`), system.readText(`/proc/${pid}/stat`)]);
  return runsOurQemu(cmdline, stat, marker);
}

/** What a VM look-up found in a run directory: the record's text, and the pidfile's pid with whether it is our QEMU. */
export interface QemuLookUp {
  readonly recordText: string | undefined;
  readonly pid: number | undefined;
  /** `pid` runs a QEMU with `pidFile` among its arguments. */
  readonly alive: boolean;
}

/**
 * Reads a VM's record and pidfile and checks its QEMU: one command on a remote host (a look-up
 * used to take four, each a login there, costly on hosts with a heavy shell start-up). The record
 * is read only when it and the directories above it up to the state directory `stateRoot` are the
 * user's own (see files/private-state.ts) — on a remote host checked in that same command.
 *
 * @throws StateTrustError when they are not.
 */
export async function lookUpQemu(system: HostSystem, stateRoot: string, recordPath: string, pidFile: string): Promise<QemuLookUp> {
  if (!system.isLocal) {
    const chain = chainBelow(stateRoot, recordPath);
    const separator = `--qemu-lab-${randomBytes(8).toString('hex')}--`;
    const args = ['-c', TRUSTED_PROBE, 'sh', separator, recordPath, pidFile, '', ...chain];
    const output = (await system.run('sh', args, { timeoutMs: PROBE_TIMEOUT_MS, check: false })).stdout;
    const split = output.indexOf(`${separator}\n`);
    if (split < 0) throw new StateTrustError(`Host "${system.name}" did not answer the look-up of ${recordPath}: ${JSON.stringify(output.slice(0, 200))}.`);
    const problem = remoteTrustProblem(output.slice(0, split), chain, system.name);
    if (problem !== undefined) throw problem;
    const found = parseQemuProbe(output.slice(split + separator.length + 1), separator);
    return { recordText: found.recordText, pid: found.pid, alive: runsOurQemu(found.cmdline, found.stat, pidFile) };
  }
  await assertPrivateState(system, stateRoot, recordPath);
  const [recordText, pid] = await Promise.all([system.readText(recordPath), readPidFile(system, pidFile)]);
  return { recordText, pid, alive: pid !== undefined && (await isOurQemu(system, pid, pidFile)) };
}

/** Waits until `pid` is gone (or not ours any more), polling; resolves false on timeout. */
export async function waitForExit(system: HostSystem, pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const pause = system.isLocal ? 100 : 250;
  while (Date.now() < deadline) {
    if (!(await isOurQemu(system, pid, marker))) return true;
    await sleep(pause);
  }
  return !(await isOurQemu(system, pid, marker));
}
