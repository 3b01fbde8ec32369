/** What LocalTransport and SshTransport share for run(): checks, the remote command line, the result. */
import { CommandFailedError, HostError } from '../../../errors';
import type { HostRunOptions, HostRunResult } from '../host';
import { CommandCancelledError, type CancelReason, ProgramNotFoundError } from '../host-errors';
import { shellJoin, shellQuote } from './quote';

/** Refuses arguments no program could be meant to get. */
export function validateRun(program: string, args: readonly string[], options: HostRunOptions): void {
  if (program === '' || program.startsWith('-')) throw new HostError(`Invalid program name ${JSON.stringify(program)}.`);
  for (const text of [program, ...args, ...Object.values(options.env ?? {}), options.cwd ?? '']) {
    if (text.includes('\0')) throw new HostError(`An argument of ${program} contains a NUL byte, which no program can receive.`);
  }
  for (const name of Object.keys(options.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new HostError(`Invalid environment variable name ${JSON.stringify(name)}.`);
  }
}

/**
 * The one line a remote POSIX shell gets for run(): every word quoted by shellJoin.
 * `exec` replaces the shell, so the exit status and signal are the program's own.
 */
export function remoteCommandLine(
  program: string,
  args: readonly string[],
  options: Pick<HostRunOptions, 'cwd' | 'env'> & { readonly announcePid?: boolean } = {},
): string {
  const env = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
  const argv = env.length > 0 ? ['env', ...env, program, ...args] : [program, ...args];
  const run = `exec ${shellJoin(argv)}`;
  const line = options.cwd === undefined ? run : `cd ${shellQuote(options.cwd)} && ${run}`;
  // sshd makes the shell a session (and process group) leader; `exec` keeps its pid. Telling
  // it first on stderr lets a cancel kill the whole group even where sshd refuses signal
  // requests (root logins run without privilege separation).
  return options.announcePid ? `printf '${PID_MARKER}%s\\n' "$$" >&2; ${line}` : line;
}

/** Starts the first stderr line of a remote run that announces its process group. */
export const PID_MARKER = 'qemu-lab-pgid:';

/** Takes the announced pid off the front of a remote run's stderr; passes the rest on. */
export class PidAnnouncement {
  private head: Buffer | undefined = Buffer.alloc(0);
  pid: number | undefined;

  constructor(
    private readonly onRest: (chunk: Buffer) => void,
    private readonly onPid: (pid: number) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.head === undefined) {
      this.onRest(chunk);
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const newline = this.head.indexOf(0x0a);
    if (newline === -1 && this.head.length < 64) return;
    const line = this.head.subarray(0, newline === -1 ? 0 : newline).toString('latin1');
    const match = new RegExp(`^${PID_MARKER}(\\d+)$`).exec(line);
    const rest = match === null ? this.head : this.head.subarray(newline + 1);
    this.head = undefined;
    if (match !== null) {
      this.pid = Number(match[1]);
      this.onPid(this.pid);
    }
    if (rest.length > 0) this.onRest(rest);
  }

  /** Flushes what is held back (stderr ended before a full first line). */
  end(): void {
    const head = this.head;
    this.head = undefined;
    if (head !== undefined && head.length > 0) this.onRest(head);
  }
}

/** Whether stderr is the remote shell's (`exec prog`) or env(1)'s own "no such program". */
export function execFailed(program: string, stderr: string): boolean {
  const firstLine = stderr.split('\n')[0] ?? '';
  return (
    firstLine.includes(`exec: ${program}: not found`) ||
    firstLine.includes(`exec: ${program}: No such file or directory`) ||
    new RegExp(`^env: ['‘]${program.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}['’]: No such file or directory$`).test(firstLine)
  );
}

/** Turns the end of a run into its result or the error run() rejects with. */
export function settleRun(
  program: string,
  args: readonly string[],
  options: HostRunOptions,
  result: HostRunResult,
  hostName: string,
  cancelled: CancelReason | undefined,
  remote = false,
): HostRunResult {
  if (cancelled !== undefined) {
    throw new CommandCancelledError(program, args, cancelled, result.stdout, result.stderr, {
      host: hostName,
      timeoutMs: options.timeoutMs,
      cause: cancelled === 'aborted' ? options.signal?.reason : undefined,
    });
  }
  if (remote && result.exitCode === 127 && execFailed(program, result.stderr)) {
    throw new ProgramNotFoundError(program, hostName, { hint: options.missingHint });
  }
  if ((options.check ?? true) && result.exitCode !== 0) {
    throw new CommandFailedError(program, args, result.exitCode, result.signal, result.stderr);
  }
  return result;
}

/** `KILL` → `SIGKILL` (SSH sends signal names without the prefix). */
export function signalFromSsh(name: string | undefined | null): NodeJS.Signals | null {
  if (name === undefined || name === null || name === '') return null;
  return (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
}
