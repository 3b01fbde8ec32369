import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * What a failed CLI run shows: every line that says something failed (a long run's first failure
 * can be far from its end — ci28 showed only the tail of a bench whose failure came minutes
 * before), then the end of the output.
 */
export function failureExcerpt(output: string): string {
  const failures = output.split('\n').filter((line) => /\b(failed|error)\b/i.test(line)).slice(0, 20);
  const tail = output.slice(-2000);
  return failures.length === 0 ? tail : `${failures.join('\n')}\n… the end of the output:\n${tail}`;
}

/**
 * Runs the real CLI (`dist/cli.js` of the repository under test) to completion, as a scenario's
 * preparation; rejects with its failure lines and the end of its output when it fails.
 */
export function runCliToEnd(repoRoot: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`qemu-lab ${args.join(' ')} exited ${code}:\n${failureExcerpt(output)}`))));
  });
}
