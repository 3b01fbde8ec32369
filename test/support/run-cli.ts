import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { shellJoin } from '../../extension/core/infrastructure/hosts/transports/quote';

/** What a run of the real `qemu-lab` CLI printed and returned. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const cliPath = join(__dirname, '../../dist/cli.js');

/** Runs a program to its end, collecting what it printed (stdin closed). */
export function runProcessCollecting(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [program = '', ...rest] = argv;
    const child = spawn(program, rest, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached === true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs dist/cli.js as a separate process, as a user would, with the test's state directory.
 * `noTerminal`: in a session of its own (setsid), so it has no controlling terminal either.
 */
export function runCliProcess(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; noTerminal?: boolean } = {},
): Promise<CliRun> {
  return runProcessCollecting([process.execPath, cliPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: options.noTerminal === true,
  });
}

/** What to type into the terminal when its output first matches `when`. */
export interface TerminalAnswer {
  readonly when: RegExp;
  readonly type: string;
}

/**
 * Runs dist/cli.js on a pseudo-terminal of its own (util-linux `script`), so the CLI has a
 * controlling terminal as in an interactive shell, and types each answer when its prompt shows.
 * `output` is everything the terminal showed (stdout and stderr together, with CRLF line ends).
 */
export function runCliInTerminal(
  args: readonly string[],
  answers: readonly TerminalAnswer[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ readonly code: number | null; readonly output: string }> {
  return new Promise((resolve, reject) => {
    // -e: exit with the CLI's code; -q: no "Script started" lines; the typescript goes nowhere.
    const child = spawn('script', ['-qec', shellJoin([process.execPath, cliPath, ...args]), '/dev/null'], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pending = [...answers];
    let output = '';
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const next = pending[0];
      if (next !== undefined && next.when.test(output)) {
        pending.shift();
        child.stdin.write(next.type);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
