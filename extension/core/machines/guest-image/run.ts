/**
 * Runs the host programs the guest builder needs (apt-get, dpkg-deb, ldd, xz, …), always with an
 * argv array and never through a shell. Failures become {@link CommandFailedError}, a program that
 * is not installed becomes a {@link GuestBuildError} with a hint, and an aborted build becomes a
 * {@link GuestBuildError} saying so.
 */
import { spawn } from 'node:child_process';
import { CommandFailedError, GuestBuildError, HostError } from '../../errors';
import { runProgram } from '../../infrastructure/hosts/system/run-program';

/** How to run one program. */
export interface RunOptions {
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Extra environment, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** What to tell the user when the program is not installed. */
  readonly missingHint?: string;
  /** What to tell the user when the program fails. */
  readonly failureHint?: string;
  /** Exit codes other than 0 that still count as success (e.g. dpkg-query's 1 for "some not found"). */
  readonly okExitCodes?: readonly number[];
}

/** What a finished program printed. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** The builder was asked to stop. */
export function cancelledError(cause?: unknown): GuestBuildError {
  return new GuestBuildError('The guest build was cancelled.', { cause });
}

/** Throws {@link cancelledError} when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelledError(signal.reason);
}

function missingProgramError(program: string, hint: string | undefined, cause: unknown): GuestBuildError {
  return new GuestBuildError(`${program} is not installed on this host.`, {
    hint: hint ?? `Install the Debian package that provides ${program}.`,
    cause,
  });
}

function mergedEnv(env: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv | undefined {
  return env === undefined ? undefined : { ...process.env, ...env };
}

/**
 * Runs `program args…` to completion and returns its output as text: {@link runProgram} with
 * the builder's errors (a missing tool or a cancelled build is a {@link GuestBuildError}).
 */
export async function run(program: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  throwIfAborted(options.signal);
  let result;
  try {
    result = await runProgram(program, args, { cwd: options.cwd, env: mergedEnv(options.env), signal: options.signal, check: false });
  } catch (error) {
    if (options.signal?.aborted === true) throw cancelledError(options.signal.reason);
    if (error instanceof HostError) throw missingProgramError(program, options.missingHint, error);
    throw error;
  }
  if (options.signal?.aborted === true) throw cancelledError(options.signal.reason);
  const { exitCode, signal, stdout, stderr } = result;
  if (exitCode === 0 || (exitCode !== null && options.okExitCodes?.includes(exitCode) === true)) return { stdout, stderr };
  throw new CommandFailedError(program, args, exitCode, signal, stderr, { hint: options.failureHint });
}

/**
 * Runs `program args…` with `input` on its standard input and returns its standard output as
 * bytes: for decompressors (`xz -dc`, `zstd -dc`).
 */
export function runBinary(
  program: string,
  args: readonly string[],
  input: Buffer,
  options: RunOptions = {},
): Promise<Buffer> {
  throwIfAborted(options.signal);
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], {
      cwd: options.cwd,
      env: mergedEnv(options.env),
      signal: options.signal,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // A decompressor that gives up early closes its stdin: that is reported by its exit code.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal?.aborted === true) reject(cancelledError(options.signal.reason));
      else if (error.code === 'ENOENT') reject(missingProgramError(program, options.missingHint, error));
      else reject(new GuestBuildError(`Could not run ${program}: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode, signal) => {
      if (exitCode === 0) {
        resolve(Buffer.concat(out));
        return;
      }
      if (options.signal?.aborted === true) {
        reject(cancelledError(options.signal.reason));
        return;
      }
      reject(
        new CommandFailedError(program, args, exitCode, signal, Buffer.concat(err).toString('utf8'), {
          hint: options.failureHint,
        }),
      );
    });
    child.stdin.end(input);
  });
}
