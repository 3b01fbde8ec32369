import { spawn } from 'node:child_process';
import { CommandFailedError, HostError } from '../../../errors';
import { OutputCollector, type KeepOutput } from '../output-collector';

/** What a finished program left behind. */
export interface ProgramResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link runProgram}. */
export interface RunProgramOptions {
  /** Kill the program (SIGKILL) after this long. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Throw {@link CommandFailedError} on a non-zero exit. Default true. */
  readonly check?: boolean;
  /** Hint for the error when the program is missing. */
  readonly missingHint?: string;
  /** Called with each piece of standard output as it comes (UTF-8, never split inside a character). */
  readonly onStdout?: (text: string) => void;
  /** `tail`: the result's `stdout` is only the output's end, nothing piles up (see {@link KeepOutput}). Default `all`. */
  readonly keepStdout?: KeepOutput;
}

/**
 * Runs a program with an argv array (never a shell), collects its output, and waits for it.
 * A missing program becomes a {@link HostError} with `missingHint`.
 */
export function runProgram(program: string, args: readonly string[], options: RunProgramOptions = {}): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    const stdout = new OutputCollector(options.onStdout, options.keepStdout);
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new HostError(`${program} was not found on this host.`, { hint: options.missingHint, cause: error }));
      } else {
        reject(error);
      }
    });
    child.on('close', (exitCode, signal) => {
      stdout.end();
      const result: ProgramResult = {
        exitCode,
        signal,
        stdout: stdout.text,
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if ((options.check ?? true) && exitCode !== 0) {
        reject(new CommandFailedError(program, args, exitCode, signal, result.stderr));
      } else {
        resolve(result);
      }
    });
  });
}
