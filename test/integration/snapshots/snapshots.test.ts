// Whole-VM snapshots of one booted built-in guest (real QEMU 7.2, TCG), driven through the CLI
// as a user would: each call is a new qemu-lab process, so what `list` shows is read back from
// the VM's state disk, never remembered by the tool.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../support/run-cli';

const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'snapshots-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const rawDisk = join(labDir, 'scratch.img');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir });

interface Listed {
  name: string;
  date: string;
  vmStateBytes: number;
  kind: string;
  vmClockSeconds: number;
  complete: boolean;
}

async function list(): Promise<Listed[]> {
  const run = await cli('--json', 'snapshot', 'list', 'vm1');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Listed[];
}

/** Runs a shell line in the guest and returns what it printed. */
async function guest(line: string): Promise<string> {
  const run = await cli('ssh', 'vm1', '--', line);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The marker file's text and the guest's uptime (seconds since its kernel started: its own clock). */
async function markerAndUptime(): Promise<{ marker: string; uptime: number }> {
  const [marker = '', uptime = ''] = (await guest('cat /root/marker; cut -d" " -f1 /proc/uptime')).trim().split('\n');
  return { marker, uptime: Number(uptime) };
}

beforeAll(async () => {
  expect(root).not.toBe('');
  mkdirSync(labDir, { recursive: true });
  writeFileSync(rawDisk, Buffer.alloc(1024 * 1024));
  writeFileSync(
    lab,
    [
      'vms:',
      '  vm1: { image: builtin, memory: 256M, accel: tcg }',
      `  raw: { image: builtin, memory: 256M, accel: tcg, extraArgs: [-drive, "file=${rawDisk},format=raw,if=virtio"] }`,
      '',
    ].join('\n'),
  );
  const up = await cli('up', 'vm1');
  expect(up.code, up.stderr).toBe(0);
});

afterAll(async () => {
  await cli('kill', 'vm1');
  await cli('kill', 'raw');
});

describe('snapshots of a running built-in guest (QEMU 7.2, TCG)', () => {
  let u1 = 0;
  let u2 = 0;
  let beforeSaveMs = 0;
  let saveWallMs = 0;

  it('a new VM has none; save takes the whole VM with its memory onto its state disk', async () => {
    expect(await list()).toEqual([]);
    // Under TCG the guest's TSC runs on across a load (QEMU 7.2 and 11.1 alike), so a guest timing
    // itself by the tsc clocksource would see its clock run on; QEMU restores the HPET's counter,
    // so on it the guest's clock is the snapshot's (with KVM, kvm-clock is restored too).
    await guest('echo hpet > /sys/devices/system/clocksource/clocksource0/current_clocksource');
    beforeSaveMs = Date.now();
    u1 = Number((await guest('echo before > /root/marker; cut -d" " -f1 /proc/uptime')).trim());
    const save = await cli('snapshot', 'save', 'vm1', 'first');
    saveWallMs = Date.now() - beforeSaveMs;
    expect(save.code, save.stderr).toBe(0);
    expect(save.stdout).toMatch(/^vm1: saved snapshot "first" \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · with memory · \d+ MiB\)\.\n$/);
  });

  it('after a change, load brings back the marker and the uptime of the snapshot (the guest clock goes back)', async () => {
    // The guest runs on long enough that its clock is clearly past anything a load could give back.
    await guest('sleep 15; echo after > /root/marker');
    const changed = await markerAndUptime();
    u2 = changed.uptime;
    expect(changed.marker).toBe('after');
    const loadStart = Date.now();
    const load = await cli('snapshot', 'load', 'vm1', 'first');
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toMatch(/^vm1: back at snapshot "first" /);
    const back = await markerAndUptime();
    const loadWallMs = Date.now() - loadStart;
    expect(back.marker).toBe('before');
    expect(back.uptime).toBeLessThan(changed.uptime);
    // The guest clock is the snapshot's plus what ran since the load: no more than wall time allows.
    expect(back.uptime).toBeGreaterThanOrEqual(u1);
    expect(back.uptime).toBeLessThanOrEqual(u1 + (saveWallMs + loadWallMs) / 1000 + 1);
  });

  it("list, in a new process, shows it with its time, memory size and the VM's clock it holds", async () => {
    const [first, ...rest] = await list();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ name: 'first', kind: 'memory', complete: true });
    expect(first?.vmStateBytes).toBeGreaterThan(10 * 1024 ** 2);
    expect(Date.parse(first?.date ?? '')).toBeGreaterThanOrEqual(beforeSaveMs - 1000);
    // QEMU's clock started before the guest's kernel (firmware first), and stood at the save.
    expect(first?.vmClockSeconds).toBeGreaterThanOrEqual(u1);
    expect(first?.vmClockSeconds).toBeLessThan(u2);
    const text = await cli('snapshot', 'list', 'vm1');
    expect(text.stdout.split('\n')[0]).toMatch(/^NAME +TAKEN +KIND +SIZE +VM CLOCK$/);
    expect(text.stdout).toMatch(/\nfirst +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC +with memory +\d+ MiB +\d+\.\d s\n/);
  });

  it('save without a name takes a timestamped one; a taken name is refused and the VM runs on', async () => {
    const save = await cli('--json', 'snapshot', 'save', 'vm1');
    expect(save.code, save.stderr).toBe(0);
    const saved = (JSON.parse(save.stdout) as { snapshot: Listed }).snapshot;
    expect(saved.name).toMatch(/^snap-\d{8}-\d{6}$/);
    expect((await list()).map((s) => s.name)).toEqual(['first', saved.name]);
    const again = await cli('snapshot', 'save', 'vm1', 'first');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('VM "vm1" already has a snapshot "first".');
    expect(JSON.parse((await cli('qmp', 'vm1', 'query-status')).stdout)).toMatchObject({ status: 'running' });
  });

  it('loading a name it does not have fails with the list of those it has, and touches nothing', async () => {
    const before = await markerAndUptime();
    const load = await cli('snapshot', 'load', 'vm1', 'nope');
    expect(load.code).toBe(1);
    expect(load.stderr).toMatch(/VM "vm1" has no snapshot "nope"; it has: first, snap-\d{8}-\d{6}\./);
    const after = await markerAndUptime();
    expect(after.marker).toBe(before.marker);
    expect(after.uptime).toBeGreaterThan(before.uptime);
  });

  it('delete removes it (a second delete says it is gone); the other stays', async () => {
    const del = await cli('snapshot', 'delete', 'vm1', 'first');
    expect(del.code, del.stderr).toBe(0);
    expect((await list()).map((s) => s.name)).toEqual([expect.stringMatching(/^snap-/)]);
    const again = await cli('snapshot', 'delete', 'vm1', 'first');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has no snapshot "first"; it has: snap-/);
  });

  it('refuses a VM with a writable raw disk, saying why and how to convert it; the VM runs on and lists', async () => {
    // A second VM: q35's root bus takes no hot-plugged disk, so the raw disk is on its command line.
    const up = await cli('up', 'raw');
    expect(up.code, up.stderr).toBe(0);
    const save = await cli('snapshot', 'save', 'raw', 'with-raw');
    expect(save.code).toBe(1);
    expect(save.stderr).toContain(`VM "raw" has a writable raw disk (virtio0, ${rawDisk}): only qcow2 images can hold snapshots`);
    expect(save.stderr).toContain(`qemu-img convert -O qcow2 ${rawDisk} ${rawDisk}.qcow2`);
    const listed = await cli('snapshot', 'list', 'raw');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/has no snapshots/);
    expect(JSON.parse((await cli('qmp', 'raw', 'query-status')).stdout)).toMatchObject({ status: 'running' });
  });
});
