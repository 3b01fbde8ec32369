import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs the real CLI (`dist/cli.js` of the repository under test) to completion, as a scenario's
 * preparation; rejects with the end of its output when it fails.
 */
export function runCliToEnd(repoRoot: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`qemu-lab ${args.join(' ')} exited ${code}:\n${output.slice(-2000)}`))));
  });
}
