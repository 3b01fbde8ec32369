import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { guestExec, knownPatternSha256, readPatterns, startDirtying, statusOf, stopDirtying, writePatterns, type SummaryJson } from './helpers';

// Local → local live migration through the real CLI, real QEMU under TCG: a second QEMU on the
// same machine (`--same-host`), over loopback. Idle, with a known pattern in guest RAM, then
// a guest dirtying its memory: auto-converge finishes it, Ctrl-C rolls back, and (on QEMU 11.1)
// the default does not converge and is cancelled with the fixes listed.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'migration-local-state');
const labDir = join(root, 'migration-local-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
/** QEMU 11.1 (the private root the test set-up installs), for the one test 7.2's TCG bugs spoil. */
const newQemu = process.env.QEMU_LAB_TEST_QEMU_NEW ?? '';
const cliOnNewQemu = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { ...env, QEMU_LAB_QEMU: newQemu } });

/** vm1 afresh on QEMU 11.1, dirtying its memory. */
async function bootDirtyingOnNewQemu(): Promise<void> {
  expect(newQemu, 'QEMU_LAB_TEST_QEMU_NEW is not set (the integration set-up installs QEMU 11.1)').not.toBe('');
  expect((await cli('kill', 'vm1')).code).toBe(0);
  const up = await cliOnNewQemu('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
  await startDirtying(cliOnNewQemu, 'vm1');
}
const figures: string[] = [];

function summaryOf(stdout: string): SummaryJson {
  return JSON.parse(stdout) as SummaryJson;
}

beforeAll(async () => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(lab, ['vms:', '  vm1: { memory: 512M, accel: tcg }', ''].join('\n'));
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
});

afterAll(async () => {
  await cli('kill', 'vm1');
  expect(qemuProcessesMentioning(state)).toEqual([]);
  if (figures.length > 0) console.log(`Local migration figures (TCG, 512 MiB guest):\n  ${figures.join('\n  ')}`);
});

describe('live migration on one host (TCG, loopback)', () => {
  it('refuses the same host unless asked for explicitly', async () => {
    const run = await cli('migrate', 'vm1', '--to', 'local');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/already runs on host "local"/);
    expect(run.stderr).toMatch(/--same-host/);
  });

  it('moves an idle guest: the memory pattern survives, status shows the new QEMU, the old one is gone', async () => {
    const before = await statusOf(cli, 'vm1');
    const patterns = await writePatterns(cli, 'vm1');
    expect(patterns.known).toBe(knownPatternSha256());
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host');
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary).toMatchObject({ status: 'completed', phase: 'done', from: { host: 'local' }, to: { host: 'local', slot: 'b' } });
    expect(summary.uri).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    expect(summary.downtimeMs).toBeGreaterThanOrEqual(0);
    expect(summary.ram.transferredBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(run.stderr).toMatch(/vm1: begin[\s\S]*vm1: prepare[\s\S]*vm1: perform[\s\S]*vm1: finish[\s\S]*vm1: confirm[\s\S]*vm1: done/);
    figures.push(`idle: ${summary.wallTimeMs} ms wall, ${summary.totalTimeMs} ms QEMU total, ${summary.downtimeMs} ms downtime, ${((summary.ram.transferredBytes ?? 0) / 1048576).toFixed(0)} MiB sent`);

    const after = await statusOf(cli, 'vm1');
    expect(after).toMatchObject({ state: 'running', host: 'local' });
    expect(after.pid).not.toBe(before.pid);
    expect(after.ssh?.port).toBe(summary.ssh?.port);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([after.pid]);
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
    const stored = readFileSync(join(labDir, '.qemu-lab', 'results', 'migrations.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(stored.at(-1) ?? '{}')).toMatchObject({ kind: 'migration', summary: { status: 'completed', vm: 'vm1' } });
  });

  it('moves it again, with tuning, and every command keeps finding it', async () => {
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--cap', 'xbzrle,auto-converge', '--max-bandwidth', '1G', '--downtime-limit', '100ms', '--xbzrle-cache', '128M');
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.stdout);
    // Neither the home directory (it points at slot b now) nor slot b (the source): slot c.
    expect(summary.to).toEqual({ host: 'local', slot: 'c' });
    expect(summary.settings).toMatchObject({ capabilities: ['xbzrle', 'auto-converge'], maxBandwidthBytesPerSecond: 1 << 30, downtimeLimitMs: 100 });
    expect((await cli('pause', 'vm1')).code).toBe(0);
    expect((await statusOf(cli, 'vm1')).state).toBe('paused');
    expect((await cli('resume', 'vm1')).code).toBe(0);
    expect(qemuProcessesMentioning(state)).toHaveLength(1);
  });

  it('finishes a dirtying guest with auto-converge', async () => {
    await startDirtying(cli, 'vm1');
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--cap', 'auto-converge', '--timeout', '200');
    expect(run.code, run.stderr).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.settings.capabilities).toEqual(['auto-converge']);
    expect(summary.dirtySyncCount).toBeGreaterThanOrEqual(2);
    expect(qemuProcessesMentioning(state)).toHaveLength(1);
    // Known here, not asserted: QEMU 7.2 under TCG sometimes hands over a busy guest with memory
    // it did not track (the guest kernel then panics on the destination); a bare QMP script
    // migrating the same way shows it too. Recorded with the figures.
    const alive = /^\d+$/m.test((await guestExec(cli, 'vm1', 'pidof sysbench')).stdout);
    const panicked = readdirSync(join(state, 'vms')).some((dir) => /Kernel panic/.test(readFileSync(join(state, 'vms', dir, 'serial.log'), 'utf8')));
    figures.push(
      `dirtying + auto-converge: ${(summary.wallTimeMs / 1000).toFixed(1)} s wall, ${((summary.totalTimeMs ?? 0) / 1000).toFixed(1)} s QEMU total, ` +
        `${summary.downtimeMs} ms downtime, ${((summary.ram.transferredBytes ?? 0) / 1048576).toFixed(0)} MiB sent, ${summary.dirtySyncCount} dirty syncs, ` +
        `throttle up to ${summary.maxCpuThrottlePercentage ?? 0}%; guest afterwards: ${panicked ? 'kernel panic (QEMU/TCG)' : alive ? 'sysbench still running' : 'no answer'}`,
    );
    // The next tests want a healthy dirtying guest: start afresh.
    expect((await cli('kill', 'vm1')).code).toBe(0);
    expect((await cli('up', 'vm1')).code).toBe(0);
    await startDirtying(cli, 'vm1');
  });

  it('rolls back on Ctrl-C: the source keeps running, no destination is left', async () => {
    const before = await statusOf(cli, 'vm1');
    const child = spawn(process.execPath, [join(__dirname, '../../../dist/cli.js'), '-f', lab, 'migrate', 'vm1', '--to', 'local', '--same-host', '--max-bandwidth', '16M'], {
      cwd: labDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line: ${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/vm1: active/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/error: The migration was cancelled/);
    expect((await statusOf(cli, 'vm1'))).toMatchObject({ state: 'running', pid: before.pid });
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([before.pid]);
    await stopDirtying(cli, 'vm1');
  });

  it('reports a dirtying guest that does not converge, with the fixes, and cancels it: the source keeps running', async () => {
    // 32 MiB/s: under TCG with dirty logging on, the guest re-dirties pages about as fast as they
    // are sent, so the same amount is left after every pass. A 1 ms downtime limit lets only
    // 32 KiB go in the final stop: a guest starved of CPU by other work on the machine (seen
    // dirtying at 15 MiB/s) still re-dirties more than that between passes, so the premise holds
    // whatever the machine's load; the tool must see the remaining RAM stop shrinking.
    const migrate = (bandwidth: string) =>
      cliOnNewQemu('--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--max-bandwidth', bandwidth, '--downtime-limit', '1ms', '--on-stall', 'cancel', '--timeout', '120');
    // On QEMU 11.1: under 7.2 and TCG the dirtying guest stalls mid-migration (a QEMU bug, as in
    // the test above), the migration then converges, and all three attempts did so in a CI run.
    await bootDirtyingOnNewQemu();
    let before = await statusOf(cli, 'vm1');
    let run = await migrate('32M');
    // The premise can fail, not the tool: seen in CI, the guest stopped mid-migration (QEMU 7.2
    // under TCG, as in the test above), or, with a second full suite on the same 2 cores, sysbench
    // kept running but its vCPU got so little CPU that it dirtied 0.1 MiB/s by the fourth sync.
    // Then the migration really converges. Up to twice more, each on a fresh guest; a tool that
    // wrongly converged fails every time. (A lower bandwidth does not help: the pass takes longer
    // and the TCG guest stalls all the same, seen at 8 MiB/s.)
    for (let retry = 0; retry < 2 && run.code === 0; retry += 1) {
      const guest = await guestExec(cli, 'vm1', 'pidof sysbench');
      const stillDirtying = /^\d+$/m.test(guest.stdout);
      figures.push(`dirtying, defaults: converged at 32 MiB/s (${stillDirtying ? 'the guest dirtied slower than that' : 'the guest had stopped'}, ${summaryOf(run.stdout).dirtySyncCount ?? '?'} dirty syncs); retried on a fresh guest`);
      await bootDirtyingOnNewQemu();
      before = await statusOf(cli, 'vm1');
      run = await migrate('32M');
    }
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/warning: The migration does not converge/);
    expect(run.stderr).toMatch(/--cap auto-converge: .*Trade-off: /);
    expect(run.stderr).toMatch(/--cap postcopy/);
    expect(run.stderr).toMatch(/--max-bandwidth/);
    expect(run.stderr).toMatch(/runs on "local" as before; the destination QEMU is gone/);
    const summary = summaryOf(run.stdout);
    expect(summary).toMatchObject({ status: 'cancelled', nonConvergence: { reason: expect.any(String) } });
    figures.push(`dirtying, defaults: no convergence found after ${((summary.totalTimeMs ?? 0) / 1000).toFixed(1)} s, ${summary.dirtySyncCount} dirty syncs → cancelled`);
    const after = await statusOf(cli, 'vm1');
    expect(after).toMatchObject({ state: 'running', pid: before.pid });
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([before.pid]);
  }, 720_000); // up to three 120 s attempts, each retry after a fresh boot
});
