import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// A COLO pair on one machine (the secondary in a second run directory, over loopback), through
// the real CLI: failover on command while the primary still runs (it is fenced: killed first),
// then `colo down`. The checkpoint delay is long: QEMU 7.2 under TCG hangs at the first one.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'colo-local-state');
const labDir = join(root, 'colo-local-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });

beforeAll(() => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(lab, ['vms:', '  vm1:', '    memory: 256M', '    accel: tcg', '    machine: pc', '    faultTolerance: { mode: colo, secondary: local, checkpointDelay: 600s }', ''].join('\n'));
});

afterAll(async () => {
  await cli('colo', 'down', 'vm1');
  await cli('kill', 'vm1');
  expect(qemuProcessesMentioning(state)).toEqual([]);
});

describe('COLO on one machine (TCG, loopback)', () => {
  it('sets up, fails over on command (fencing the running primary), and comes down without orphans', async () => {
    const up = await cli('--json', 'colo', 'up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout) as { record: { plan: { primaryAddress: string }; secondary: { host: string; slot: string } }; primaryPid: number; secondaryPid: number };
    expect(result.record.plan.primaryAddress).toBe('127.0.0.1');
    expect(result.record.secondary).toEqual({ host: 'local', slot: 'colo-secondary' });
    expect(qemuProcessesMentioning(state).map((p) => p.pid).sort()).toEqual([result.primaryPid, result.secondaryPid].sort());
    const upAt = Date.now();

    const again = await cli('colo', 'up', 'vm1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/COLO pair already running/);

    const failover = await cli('colo', 'failover', 'vm1');
    expect(failover.code, failover.stderr).toBe(0);
    expect(failover.stderr).toMatch(/killing the primary[\s\S]*secondary: x-colo-lost-heartbeat[\s\S]*object-del colo-f2[\s\S]*chardev-remove colo-red0/);
    expect(qemuProcessesMentioning(state).map((p) => p.pid)).toEqual([result.secondaryPid]);

    const uptime = await cli('ssh', 'vm1', '--', 'cat', '/proc/uptime');
    expect(uptime.code, uptime.stderr).toBe(0);
    // The guest booted before `colo up`: its uptime covers the whole time since.
    expect(Number.parseFloat(uptime.stdout)).toBeGreaterThan((Date.now() - upAt) / 1000);

    const status = await cli('--json', 'colo', 'status', 'vm1');
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'failed-over', lastFailover: { survivor: 'secondary', reason: 'command' }, secondary: { facts: { mode: 'none', lastMode: 'secondary', reason: 'request' } } });

    const down = await cli('colo', 'down', 'vm1');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/killed the secondary; the pair is forgotten/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
    expect((await cli('colo', 'status', 'vm1')).stderr).toMatch(/has no COLO pair/);
  });

  it('refuses a VM without faultTolerance, and says why', async () => {
    writeFileSync(join(labDir, 'plain.qemu-lab.yaml'), 'vms:\n  vm2: { memory: 256M, accel: tcg }\n');
    const run = await runCliProcess(['-f', join(labDir, 'plain.qemu-lab.yaml'), 'colo', 'up', 'vm2'], { cwd: labDir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/VM "vm2" declares no fault tolerance\.\n {2}Add faultTolerance: \{ mode: colo, secondary: HOST \}/);
  });
});

describe('COLO with a disk on one machine (quorum + replication over NBD)', () => {
  const diskLab = join(labDir, 'disk.qemu-lab.yaml');
  const image = join(labDir, 'data.qcow2');
  const diskCli = (...args: string[]) => runCliProcess(['-f', diskLab, ...args], { cwd: labDir, env });

  afterAll(async () => {
    await diskCli('colo', 'down', 'vm1');
    await diskCli('kill', 'vm1');
  });

  it('copies the disk to the secondary, and after failover the guest reads it there and its writes land in the secondary’s image', async () => {
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '64M']);
    // A pattern written before the pair exists: only the resync (drive-mirror) can bring it to the secondary.
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 4k', image]);
    writeFileSync(diskLab, ['vms:', '  vm1:', '    memory: 256M', '    accel: tcg', '    machine: pc', '    faultTolerance: { mode: colo, secondary: local, checkpointDelay: 600s, disk: data.qcow2 }', ''].join('\n'));

    const up = await diskCli('--json', 'colo', 'up', 'vm1');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/copying its disk to the secondary \(drive-mirror to nbd:\/\/127\.0\.0\.1:\d+\), then the replication child/);
    const record = (JSON.parse(up.stdout) as { record: { disk: { primaryImage: string; secondaryImages: { parent: string } } } }).record;
    expect(record.disk.primaryImage).toBe(image);

    const failover = await diskCli('colo', 'failover', 'vm1');
    expect(failover.code, failover.stderr).toBe(0);
    expect(failover.stderr).toMatch(/secondary: nbd-server-stop[\s\S]*secondary: x-colo-lost-heartbeat/);

    const read = await diskCli('ssh', 'vm1', '--argv', '--', 'sh', '-c', 'dd if=/dev/vda bs=16 count=1 2>/dev/null | od -An -tx1');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim().split(/\s+/)).toEqual(Array(16).fill('5a'));
    const write = await diskCli('ssh', 'vm1', '--argv', '--', 'sh', '-c', 'echo COLO-DISK-PATTERN-42 | dd of=/dev/vda bs=512 seek=8 conv=fsync 2>/dev/null');
    expect(write.code, write.stderr).toBe(0);

    expect((await diskCli('colo', 'down', 'vm1')).code).toBe(0);
    const secondaryImage = execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -v 4096 32', record.disk.secondaryImages.parent], { encoding: 'utf8' });
    expect(secondaryImage).toMatch(/COLO\.DISK\.PATTER/);
    const primaryImage = execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -v 4096 32', image], { encoding: 'utf8' });
    expect(primaryImage).not.toMatch(/COLO\.DISK\.PATTER/);
    expect(qemuProcessesMentioning(state)).toEqual([]);
  });
});
