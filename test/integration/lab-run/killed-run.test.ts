import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { labRunStatePath, type LabRunState } from '../../../extension/core/lab-run/state';
import { childrenOf } from '../../support/netns/netns-hosts';

// `qemu-lab run` killed half-way (SIGKILL, as a crash or a closed terminal would): the parts that
// finished are in the lab run's record, because it is written after each part, not at the end.
// Two host-only experiments (no VM boots): the first takes a second, the second a minute; the CLI
// is killed while the second runs, with every process it started.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'lab-run-killed');
const lab = join(labDir, 'qemu-lab.yaml');
const cliPath = join(__dirname, '../../../dist/cli.js');

/** The process and every process under it, deepest first. */
function treeOf(pid: number): number[] {
  return [...childrenOf(pid).flatMap(treeOf), pid];
}

beforeAll(() => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'vms:',
      '  vm1: { memory: 256M, accel: tcg }',
      'experiments:',
      '  quick: { vm: vm1, targets: [host], benchmarks: [sysbench-cpu], repetitions: 1, duration: 1s }',
      '  long: { vm: vm1, targets: [host], benchmarks: [sysbench-cpu], repetitions: 1, duration: 60s }',
      '',
    ].join('\n'),
  );
});

it('keeps the parts that finished when the run is killed', async () => {
  const child = spawn(process.execPath, [cliPath, '-f', lab, 'run'], { cwd: labDir, env: { ...process.env, QEMU_LAB_STATE_DIR: join(root, 'lab-run-killed-state') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    // While the second part runs (a minute), the record already holds the first.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no record of the first part while the run went on:\n${output}`)), 120_000);
      const check = setInterval(() => {
        if (child.exitCode !== null) {
          clearTimeout(timer);
          clearInterval(check);
          reject(new Error(`the run ended before it could be killed:\n${output}`));
        } else if (existsSync(labRunStatePath(labDir)) && readFileSync(labRunStatePath(labDir), 'utf8').includes('experiment:quick')) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 200);
    });
    expect(output).toMatch(/experiment:quick\s+done/);
  } finally {
    for (const pid of child.pid === undefined ? [] : treeOf(child.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Ended meanwhile.
      }
    }
    await exited;
  }
  const state = JSON.parse(readFileSync(labRunStatePath(labDir), 'utf8')) as LabRunState;
  expect(Object.keys(state.parts)).toEqual(['experiment:quick']);
  expect(state.parts['experiment:quick']?.[0]).toMatchObject({ status: 'done' });
}, 180_000);
