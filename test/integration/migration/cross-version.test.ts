import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_QEMU_ENV } from '../../support/new-qemu';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { knownPatternSha256, readPatterns, statusOf, writePatterns, type SummaryJson } from './helpers';

// Live migration between two QEMU releases on one machine, over loopback, through the real CLI:
// Debian's 7.2 (host local) and the 11.x qemu install made (host new, a second local-kind host),
// with the versioned machine type both have. 7.2 → 11.x and back, a memory pattern checked each
// way; a VM on the unversioned default (q35) is refused before anything starts.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const newQemu = process.env[NEW_QEMU_ENV] ?? '';
const state = join(root, 'migration-cross-version-state');
const labDir = join(root, 'migration-cross-version-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });
let newVersion = '';

interface Row {
  host: string;
  state: string;
  pid: number;
  qemu?: { binary: string; version?: string };
}
async function row(vm: string): Promise<Row> {
  return (await statusOf(cli, vm)) as unknown as Row;
}

beforeAll(async () => {
  expect(root).not.toBe('');
  expect(newQemu).not.toBe('');
  newVersion = /QEMU emulator version (\d+\.\d+\.\d+)/.exec(execFileSync(newQemu, ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
  const [major, minor] = newVersion.split('.');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'hosts:',
      `  new: { kind: local, qemu: "${major}.${minor}" }`,
      'vms:',
      '  vm1: { memory: 256M, accel: tcg, machine: pc-i440fx-7.2 }',
      '  vm2: { memory: 256M, accel: tcg }',
      '',
    ].join('\n'),
  );
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
});

afterAll(async () => {
  await cli('kill', 'vm1');
  await cli('kill', 'vm2');
  expect(qemuProcessesMentioning(state)).toEqual([]);
});

describe('migration between QEMU 7.2 and the installed 11.x (TCG, loopback)', () => {
  it('7.2 → 11.x with pc-i440fx-7.2: the memory pattern survives, status names the new QEMU', async () => {
    const before = await row('vm1');
    expect(before).toMatchObject({ host: 'local', state: 'running', qemu: { version: expect.stringMatching(/^7\.2\./) } });
    const patterns = await writePatterns(cli, 'vm1');
    expect(patterns.known).toBe(knownPatternSha256());
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'new');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { qemu: { source?: string; destination?: string } };
    expect(summary).toMatchObject({ status: 'completed', from: { host: 'local' }, to: { host: 'new' } });
    expect(summary.uri).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    expect(summary.qemu.source).toMatch(/version 7\.2\./);
    expect(summary.qemu.destination).toContain(`version ${newVersion}`);
    const after = await row('vm1');
    expect(after).toMatchObject({ host: 'new', state: 'running', qemu: { binary: newQemu, version: newVersion } });
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([after.pid]);
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('and back, 11.x → 7.2: the pattern still there, on the system QEMU again', async () => {
    const patterns = await readPatterns(cli, 'vm1');
    const run = await cli('--json', 'migrate', 'vm1', '--to', 'local');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', from: { host: 'new' }, to: { host: 'local' } });
    const after = await row('vm1');
    expect(after).toMatchObject({ host: 'local', state: 'running', qemu: { version: expect.stringMatching(/^7\.2\./) } });
    expect(await readPatterns(cli, 'vm1')).toEqual(patterns);
  });

  it('refuses, before starting anything, a VM whose machine type means another machine on each QEMU', async () => {
    const up = await cli('up', 'vm2');
    expect(up.code, up.stderr).toBe(0);
    const before = await row('vm2');
    const run = await cli('migrate', 'vm2', '--to', 'new');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/QEMU differs between the hosts: 7\.2 on "local", \d+\.\d+ on "new".*machine type q35/);
    expect(run.stderr).toMatch(/machine: pc-q35-7\.2/);
    // Nothing started on the destination; the VM runs on as before.
    expect(await row('vm2')).toMatchObject({ host: 'local', state: 'running', pid: before.pid });
    expect(qemuProcessesMentioning(state)).toHaveLength(2);
  });
});
