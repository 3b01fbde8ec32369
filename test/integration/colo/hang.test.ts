import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// What each QEMU does at the first COLO checkpoint under TCG, on one machine (loopback), through
// the real CLI: a real run, no fake. QEMU 7.2 (Debian 12's) deadlocks the primary; QEMU 10.0.2
// (bookworm-backports, unpacked by hand into ~/.cache/qemu-lab/qemu-backports, see the README)
// never enters COLO. Either way `colo up` must say so and leave no QEMU behind.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'colo-hang-state');
const labDir = join(root, 'colo-hang-lab');
const lab = join(labDir, 'qemu-lab.yaml');
/** The same VM with a long checkpoint delay: it hangs only when traffic makes colo-compare ask for a checkpoint. */
const watchLab = join(labDir, 'watch.qemu-lab.yaml');
const watchers: ChildProcess[] = [];
const backportsQemu = join(homedir(), '.cache', 'qemu-lab', 'qemu-backports', 'bin', 'qemu-system-x86_64');

function qemuVersion(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  } catch {
    return '';
  }
}

const systemQemu = process.env.QEMU_LAB_QEMU ?? 'qemu-system-x86_64';
const systemIs72 = /version 7\.2\./.test(qemuVersion(systemQemu));
const backports = existsSync(backportsQemu) ? qemuVersion(backportsQemu) : '';
const backportsIs1000 = /version 10\.0\.[0-6] /.test(backports);

beforeAll(() => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  const vm = (delay: string) => ['vms:', '  vm1:', '    memory: 256M', '    accel: tcg', '    machine: pc', `    faultTolerance: { mode: colo, secondary: local, checkpointDelay: ${delay} }`, ''].join('\n');
  writeFileSync(lab, vm('2s'));
  writeFileSync(watchLab, vm('600s'));
});

/** `colo up vm1 --watch …` on the long-delay lab, running until it fails over or fails. */
async function watchedPair(...flags: string[]): Promise<{ out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', watchLab, 'colo', 'up', 'vm1', '--watch', '--interval', '0.25', ...flags], {
    cwd: labDir,
    env: { ...process.env, QEMU_LAB_STATE_DIR: state },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  watchers.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await waitFor(/heartbeat every/, () => output, 120_000);
  return { out: () => output, exited };
}

async function waitFor(what: RegExp, out: () => string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what.test(out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(out()).toMatch(what);
}

/**
 * SSH to the guest (the primary) until the watcher reports `what`: when the secondary's packets
 * differ from the primary's (an SSH key exchange, sooner or later), colo-compare asks for a
 * checkpoint at once, whatever the delay — and on QEMU 7.2 TCG that checkpoint hangs. Seen here:
 * the first connection sometimes goes through, the second or third hangs.
 */
async function talkUntil(what: RegExp, out: () => string): Promise<void> {
  for (let attempt = 0; attempt < 8 && !what.test(out()); attempt += 1) await watchCli('ssh', 'vm1', '--', 'true');
}

const watchCli = (...args: string[]) => runCliProcess(['-f', watchLab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });
const labCli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });

afterAll(async () => {
  for (const watcher of watchers) if (watcher.exitCode === null && watcher.pid !== undefined && watcher.pid > 1) watcher.kill('SIGINT');
  // Both labs' pairs: whatever a failed test left must not reach the next file.
  for (const cli of [watchCli, labCli]) {
    await cli('colo', 'down', 'vm1');
    await cli('kill', 'vm1');
  }
  expect(qemuProcessesMentioning(state)).toEqual([]);
});

describe('the first COLO checkpoint under TCG', () => {
  it.skipIf(!systemIs72)('QEMU 7.2: the checkpoint hangs the primary; colo up says so, names the limit, and kills both QEMUs', async () => {
    let started = performance.now();
    let run = await labCli('colo', 'up', 'vm1', '--hang-bound', '8');
    if (run.code === 0) {
      // The premise can fail, not the tool: in a fresh-clone run beside a second full suite, the
      // primary kept answering through the whole watched window (9.2 s, 2 s checkpoint delay), so
      // the pair was up as far as anyone could see and `colo up` rightly said so. Take the pair
      // down and try once more; a tool that misses a real hang fails there too.
      console.log(`QEMU 7.2 TCG: no hang within colo up's window (${/first checkpoint window[^\n]*/.exec(run.stdout)?.[0] ?? 'no window line'}); retried on a fresh pair`);
      expect((await labCli('colo', 'down', 'vm1')).code).toBe(0);
      expect(qemuProcessesMentioning(state)).toEqual([]);
      started = performance.now();
      run = await labCli('colo', 'up', 'vm1', '--hang-bound', '8');
    }
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(/primary: in COLO after/);
    expect(run.stderr).toMatch(/The COLO primary of VM "vm1" stopped answering QMP for [\d.]+ s during a checkpoint \(QEMU emulator version 7\.2\.\d+.*TCG\): the checkpoint hung, so both QEMUs of the pair were killed\./);
    expect(run.stderr).toMatch(/QEMU 7\.2 under TCG deadlocks at the first COLO checkpoint/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
    const status = await labCli('colo', 'status', 'vm1');
    expect(status.stderr).toMatch(/has no COLO pair/);
    console.log(`QEMU 7.2 TCG: colo up to the hang verdict ${((performance.now() - started) / 1000).toFixed(1)} s (2 s checkpoint delay, 8 s bound)`);
  });

  it.skipIf(!backportsIs1000)('QEMU 10.0.0–10.0.6 (bookworm-backports 10.0.2): the primary never enters COLO; colo up says so and kills both', async () => {
    const run = await runCliProcess(['-f', lab, 'colo', 'up', 'vm1'], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state, QEMU_LAB_QEMU: backportsQemu } });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(/The primary of VM "vm1" never entered COLO \(QEMU emulator version 10\.0\.\d.*\): its migration ended "completed"/);
    expect(run.stderr).toMatch(/10\.0\.7/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });

  it.skipIf(!systemIs72)('QEMU 7.2: traffic to the guest makes colo-compare ask for a checkpoint, which hangs; the heartbeat kills both', async () => {
    const watched = await watchedPair('--hang-bound', '5');
    await talkUntil(/both QEMUs of the pair were killed/, watched.out);
    await waitFor(/stopped answering QMP for [\d.]+ s during a checkpoint .*both QEMUs of the pair were killed/, watched.out, 60_000);
    expect(await watched.exited).toBe(1);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });

  it.skipIf(!systemIs72)('QEMU 7.2: with --on-hang failover the hung primary counts as lost and the secondary takes over', async () => {
    const watched = await watchedPair('--hang-bound', '5', '--on-hang', 'failover');
    const pair = JSON.parse((await watchCli('--json', 'colo', 'status', 'vm1')).stdout) as { secondary: { pid: number } };
    await talkUntil(/primary-hung/, watched.out);
    await waitFor(/failed over to the secondary \(primary-hung\)/, watched.out, 60_000);
    expect(await watched.exited).toBe(0);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([pair.secondary.pid]);
    const status = JSON.parse((await watchCli('--json', 'status')).stdout) as { vm: string; state: string }[];
    expect(status.find((row) => row.vm === 'vm1')?.state).toBe('running');
    // The primary hung in the middle of a checkpoint, so the secondary may take over while it was
    // loading one: then its guest can be inconsistent (seen in CI: it never answered SSH; on a
    // quiet machine it answered at once). What the guest does is QEMU's, recorded, not asserted.
    const startedAt = performance.now();
    let uptime = await watchCli('ssh', 'vm1', '--', 'cat', '/proc/uptime');
    while (uptime.code !== 0 && performance.now() - startedAt < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      uptime = await watchCli('ssh', 'vm1', '--', 'cat', '/proc/uptime');
    }
    console.log(
      uptime.code === 0
        ? `QEMU 7.2 TCG, --on-hang failover: the guest answered SSH on the secondary ${((performance.now() - startedAt) / 1000).toFixed(1)} s after the failover, uptime ${Number.parseFloat(uptime.stdout).toFixed(0)} s`
        : `QEMU 7.2 TCG, --on-hang failover: the guest on the secondary did not answer SSH within 30 s (taken over mid-checkpoint): ${uptime.stderr.trim()}`,
    );
    expect((await watchCli('colo', 'down', 'vm1')).code).toBe(0);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });
});
