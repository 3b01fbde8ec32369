import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { inGuest, pairStatus, type PairJson } from './pair-cli';

// COLO that replicates, on one machine over loopback, through the real CLI, on a QEMU that
// checkpoints under TCG (11.1: a private root made by mmdebstrap, run through its wrapper — the
// test set-up exports its path as QEMU_LAB_TEST_QEMU_NEW). After COLO starts, markers are written
// in the guest over SSH across several checkpoints — a file in its memory and a block on its
// replicated disk (quorum + replication, written and read with O_DIRECT, so the page cache
// cannot stand in for the disk) — then one QEMU is killed with SIGKILL and the other must hold
// every marker, the guest's uptime going on. Each direction needs a pair of its own (a failed-over
// pair does not replicate again), so two pair boots; each proves memory and disk together.
const newQemu = process.env.QEMU_LAB_TEST_QEMU_NEW ?? '';
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'colo-repl');
const labDir = join(root, 'colo-repl-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state, QEMU_LAB_QEMU: newQemu } });
const figures: string[] = [];
/**
 * A bound on hangs, not on speed: each test boots a pair, and every SSH session to a guest in
 * COLO forces a checkpoint; 130–185 s each here beside a CI run (load average 21 on 2 cores).
 */
const PAIR_TEST_MS = 480_000;

const status = (): Promise<PairJson> => pairStatus(cli);
const guest = (script: string): Promise<string> => inGuest(cli, script);

/** Block `index` (4 KiB) of the guest's disk holds marker `name`, written and read past the page cache. */
const writeBlock = (name: string, index: number) => `printf '%-4096s' value-of-${name} | dd of=/dev/vda bs=4096 seek=${index} oflag=direct conv=fsync 2>/dev/null`;
const readBlock = (index: number) => `dd if=/dev/vda bs=4096 skip=${index} count=1 iflag=direct 2>/dev/null | head -c 64 | tr -d ' '; echo`;

/** Writes marker `name` (its own value) to a file and to disk block `index`; returns the guest's uptime then. */
async function mark(name: string, index: number): Promise<number> {
  return Number.parseFloat(await guest(`echo value-of-${name} > /root/marker-${name} && ${writeBlock(name, index)} && cat /proc/uptime`));
}

/** Every marker, from its file and from its disk block, on whichever side runs the guest now. */
async function readMarkers(names: readonly string[]): Promise<{ files: string[]; blocks: string[] }> {
  const files = (await guest(`for n in ${names.join(' ')}; do cat /root/marker-$n; done`)).trim().split('\n');
  const blocks = (await guest(names.map((_, i) => readBlock(i + 1)).join('; '))).trim().split('\n');
  return { files, blocks };
}

/** `colo up` on the new QEMU; the pair's QEMU pids, checked against the processes running. */
async function pairUp(): Promise<{ primaryPid: number; secondaryPid: number }> {
  // A fresh disk each time: a marker can only come from this pair's replication.
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(labDir, 'data.qcow2'), '64M']);
  const up = await cli('--json', 'colo', 'up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
  expect(up.stderr).toMatch(/primary: x-colo \+ return-path, x-checkpoint-delay 2000 ms/);
  const result = JSON.parse(up.stdout) as { primaryPid: number; secondaryPid: number; enterColoMs: number; record: { qemu: { primary: string } } };
  expect(result.record.qemu.primary).toMatch(/version (1[1-9]|[2-9]\d)\./);
  figures.push(`entered COLO ${(result.enterColoMs / 1000).toFixed(1)} s after migrate`);
  expect(qemuProcessesMentioning(state).map((p) => p.pid).sort()).toEqual([result.primaryPid, result.secondaryPid].sort());
  return result;
}

/** Markers over three SSH sessions with checkpoints between them; the status sees them happen. */
async function markAcrossCheckpoints(prefix: string): Promise<{ names: string[]; lastUptime: number }> {
  const names: string[] = [];
  let lastUptime = 0;
  for (let i = 1; i <= 3; i += 1) {
    const name = `${prefix}${i}`;
    lastUptime = await mark(name, i);
    names.push(name);
    // The look lasts two checkpoint intervals (4.5 s): it also spaces the markers across checkpoints.
    const seen = await status();
    expect(seen.state).toBe('replicating');
    expect(seen.checkpoints?.count ?? 0, 'checkpoints in the look').toBeGreaterThanOrEqual(1);
    figures.push(`look ${name}: ${seen.checkpoints?.count ?? 0} checkpoints, every ${seen.checkpoints?.intervalsMs.join('/') ?? '?'} ms, paused ${seen.checkpoints?.pausesMs.join('/') ?? '?'} ms`);
  }
  return { names, lastUptime };
}

beforeAll(() => {
  expect(root).not.toBe('');
  if (newQemu === '') throw new Error('QEMU_LAB_TEST_QEMU_NEW is not set: the COLO replication tests need the wrapper of a QEMU that checkpoints under TCG (11.1, a private root; see the README, "COLO fault tolerance").');
  expect(existsSync(newQemu), `QEMU_LAB_TEST_QEMU_NEW=${newQemu} does not exist`).toBe(true);
  mkdirSync(labDir, { recursive: true });
  writeFileSync(lab, ['vms:', '  vm1:', '    memory: 256M', '    accel: tcg', '    machine: pc', '    faultTolerance: { mode: colo, secondary: local, checkpointDelay: 2s, disk: data.qcow2 }', ''].join('\n'));
});

afterAll(async () => {
  if (newQemu !== '' && root !== '') {
    await cli('colo', 'down', 'vm1');
    await cli('kill', 'vm1');
    expect(qemuProcessesMentioning(state)).toEqual([]);
  }
  if (figures.length > 0) console.log(`COLO replication figures (QEMU 11.1, TCG, one machine):\n  ${figures.join('\n  ')}`);
});

describe('COLO replication on a QEMU that checkpoints (needs QEMU_LAB_TEST_QEMU_NEW; TCG, loopback)', () => {
  it('primary lost: every marker written across checkpoints, in memory and on the replicated disk, is on the secondary after kill -9 of the primary and failover; uptime goes on', async () => {
    const { primaryPid, secondaryPid } = await pairUp();
    const { names, lastUptime } = await markAcrossCheckpoints('p');
    // The last one right before the kill: acknowledged output of COLO's primary is never lost.
    const last = await mark('last', 4);
    names.push('last');
    expect(last).toBeGreaterThan(lastUptime);

    // The pid from the state record (colo status reads it there), a QEMU of this test.
    const before = await status();
    expect(before.primary.pid).toBe(primaryPid);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toContain(primaryPid);
    process.kill(primaryPid, 'SIGKILL');

    const failover = await cli('colo', 'failover', 'vm1');
    expect(failover.code, failover.stderr).toBe(0);
    expect(failover.stdout + failover.stderr).toMatch(/the secondary runs the guest alone now/);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([secondaryPid]);

    const uptime = Number.parseFloat(await guest('cat /proc/uptime'));
    expect(uptime).toBeGreaterThan(last);
    expect(await readMarkers(names)).toEqual({ files: names.map((n) => `value-of-${n}`), blocks: names.map((n) => `value-of-${n}`) });
    const after = await status();
    expect(after).toMatchObject({ state: 'failed-over', lastFailover: { survivor: 'secondary' }, secondary: { pid: secondaryPid, facts: { mode: 'none' } } });
    figures.push(`primary lost: failover ${after.lastFailover?.durationMs ?? '?'} ms; uptime ${last} s → ${uptime} s`);

    expect((await cli('colo', 'down', 'vm1')).code).toBe(0);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  }, PAIR_TEST_MS);

  it('secondary lost: after kill -9 of the secondary the primary goes on alone with every marker, before and after', async () => {
    const { primaryPid, secondaryPid } = await pairUp();
    const { names, lastUptime } = await markAcrossCheckpoints('s');
    expect((await status()).secondary.pid).toBe(secondaryPid);
    process.kill(secondaryPid, 'SIGKILL');

    const failover = await cli('colo', 'failover', 'vm1', '--to', 'primary');
    expect(failover.code, failover.stderr).toBe(0);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([primaryPid]);
    const later = await mark('after', 4);
    names.push('after');
    expect(later).toBeGreaterThan(lastUptime);
    expect(await readMarkers(names)).toEqual({ files: names.map((n) => `value-of-${n}`), blocks: names.map((n) => `value-of-${n}`) });
    const after = await status();
    expect(after).toMatchObject({ state: 'failed-over', lastFailover: { survivor: 'primary' }, primary: { pid: primaryPid, facts: { mode: 'none' } } });
    figures.push(`secondary lost: failover ${after.lastFailover?.durationMs ?? '?'} ms`);
  }, PAIR_TEST_MS);
});
