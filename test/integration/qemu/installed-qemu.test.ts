import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_QEMU_ENV } from '../../support/new-qemu';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// The QEMU `qemu-lab qemu install` made (global setup: 11.x from trixie-backports, in a private
// root) boots the built-in guest when the lab names its version under hosts.local.qemu, and
// everything that reports a VM or a result names that QEMU, not the system's 7.2.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const newQemu = process.env[NEW_QEMU_ENV] ?? '';
const state = join(root, 'installed-qemu-state');
const labDir = join(root, 'installed-qemu-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });
let version = '';

beforeAll(() => {
  expect(root).not.toBe('');
  expect(newQemu).not.toBe('');
  version = /QEMU emulator version (\d+\.\d+\.\d+)/.exec(execFileSync(newQemu, ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
  expect(version).toMatch(/^1[1-9]\./);
  const [major, minor] = version.split('.');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'hosts:',
      `  local: { qemu: "${major}.${minor}" }`,
      'vms:',
      '  vm1: { memory: 256M, accel: tcg }',
      'experiments:',
      '  host-cpu: { vm: vm1, targets: [host], benchmarks: [sysbench-cpu], repetitions: 1, duration: 1s }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await cli('kill', 'vm1');
  expect(qemuProcessesMentioning(state)).toEqual([]);
});

describe('a host QEMU installed by qemu-lab qemu install', () => {
  it('qemu list shows it next to the system QEMU', async () => {
    const run = await cli('--json', 'qemu', 'list');
    expect(run.code, run.stderr).toBe(0);
    const [local] = JSON.parse(run.stdout) as { host: string; system: { version?: { major: number } }; installed: { binary: string; record: { version: string } }[] }[];
    expect(local?.host).toBe('local');
    expect(local?.system.version?.major).toBe(7);
    expect(local?.installed.map((i) => [i.record.version, i.binary])).toContainEqual([version, newQemu]);
  });

  it('qemu install of that version reuses it', async () => {
    const run = await cli('--json', 'qemu', 'install', version);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ host: 'local', reused: true, version, binary: newQemu });
  });

  it('boots the built-in guest; status, hosts and the process name it', async () => {
    const up = await cli('up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    const status = await cli('--json', 'status');
    expect(status.code, status.stderr).toBe(0);
    const [row] = JSON.parse(status.stdout) as { state: string; pid: number; qemu?: { binary: string; version?: string } }[];
    expect(row).toMatchObject({ state: 'running', qemu: { binary: newQemu, version } });
    expect((await cli('status')).stdout).toMatch(new RegExp(`running .* ${version.replace(/\./g, '\\.')}`));
    // Started through the root's loader, it still shows as qemu-system-x86_64 of that root.
    const [process] = qemuProcessesMentioning(state);
    expect(process?.pid).toBe(row?.pid);
    expect(process?.argv[0]).toBe(join(dirname(newQemu), 'root', 'usr', 'bin', 'qemu-system-x86_64'));
    const ssh = await cli('ssh', 'vm1', '--', 'cat', '/proc/version');
    expect(ssh.code, ssh.stderr).toBe(0);
    const hosts = await cli('--json', 'hosts');
    expect(hosts.code, hosts.stderr).toBe(0);
    const [probe] = JSON.parse(hosts.stdout) as { qemu: { path: string; version: { text: string } } }[];
    expect(probe?.qemu.path).toBe(newQemu);
    expect(probe?.qemu.version.text).toContain(`version ${version}`);
  });

  it('a result record names it', async () => {
    const run = await cli('--json', 'bench', 'host-cpu');
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(join(labDir, '.qemu-lab', 'results', 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ metadata: { qemuVersion: version } });
  });

  it('a version not installed is refused with the install command, before anything starts', async () => {
    writeFileSync(join(labDir, 'missing.qemu-lab.yaml'), ['hosts:', '  local: { qemu: "99.9" }', 'vms:', '  vm2: { memory: 256M, accel: tcg }', ''].join('\n'));
    const run = await runCliProcess(['-f', join(labDir, 'missing.qemu-lab.yaml'), 'up', 'vm2'], { cwd: labDir, env: { QEMU_LAB_STATE_DIR: state } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/QEMU 99\.9 is not installed on host "local"/);
    expect(run.stderr).toMatch(/qemu-lab qemu install 99\.9/);
    expect(qemuProcessesMentioning(state).length).toBe(1);
  });
});
