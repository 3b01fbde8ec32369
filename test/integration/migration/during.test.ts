import { readdirSync, readFileSync, readlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';
import { guestExec, statusOf, type SummaryJson } from './helpers';

// `migrate --during` local → local under TCG through the real CLI: sysbench on the host and in
// the guest, iperf3 and iperf 2 to the guest through the forwarded ports, a baseline first; the samples lie
// before, during and after the switch-over on the migration's axis, and the record keeps them.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const state = join(root, 'migration-during-state');
const labDir = join(root, 'migration-during-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const env = { QEMU_LAB_STATE_DIR: state };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });
const figures: string[] = [];

/** Processes whose output goes to a `--during` output folder (ours, detached): none may outlive the run. */
function leftoverBenchmarks(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (/\/qemu-lab-during\./.test(readlinkSync(`/proc/${pid}/fd/1`))) found.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
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
  if (figures.length > 0) console.log(`--during figures (TCG, 512 MiB guest, loopback):\n  ${figures.join('\n  ')}`);
});

describe('benchmarks during a live migration (TCG, loopback)', () => {
  it('refuses a list it cannot run, before touching the VM', async () => {
    const run = await cli('migrate', 'vm1', '--to', 'local', '--same-host', '--during', 'sysbench-oltp@guest');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--during: "sysbench-oltp" cannot be sampled per second/);
  });

  it('samples the host and the guest before, during and after the switch-over, next to a baseline, and stores them', async () => {
    const before = await statusOf(cli, 'vm1');
    // 32 MiB/s makes the ~100 MiB an idle guest sends take a few seconds: several samples while it runs.
    const run = await cli(
      '--json', 'migrate', 'vm1', '--to', 'local', '--same-host', '--max-bandwidth', '32M',
      '--during', 'sysbench-cpu@host,sysbench-cpu@guest,iperf3@guest,iperf@guest', '--during-seconds', '8', '--during-lead', '3', '--during-tail', '4',
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SummaryJson & { timeline: MigrationTimeline };
    expect(summary.status).toBe('completed');
    const t = summary.timeline;
    expect(t.baseline).toBeDefined();
    expect(t.during).toBeDefined();
    expect(t.migration).toBeDefined();
    expect(t.switchoverMs).toBeDefined();
    const migration = t.migration as NonNullable<MigrationTimeline['migration']>;
    const switchover = t.switchoverMs as number;
    expect((t.baseline?.endMs ?? Infinity) <= (t.during?.startMs ?? 0)).toBe(true);
    expect(t.progress.length).toBeGreaterThan(0);
    expect(t.phases.map((p) => p.phase)).toEqual(['begin', 'prepare', 'perform', 'finish', 'confirm', 'done']);

    const stream = (label: string, runName: 'baseline' | 'during') => {
      const found = t.streams.find((s) => `${s.benchmark}@${s.target}` === label && s.run === runName);
      if (found === undefined) throw new Error(`no ${runName} stream of ${label}: ${JSON.stringify(t.streams.map((s) => [s.benchmark, s.target, s.run]))}`);
      return found;
    };
    for (const label of ['sysbench-cpu@host', 'sysbench-cpu@guest', 'iperf3@guest', 'iperf@guest']) {
      const baseline = stream(label, 'baseline');
      expect(baseline.samples.length, `${label} baseline`).toBeGreaterThanOrEqual(3);
      expect(baseline.samples.every((s) => s.t >= (t.baseline?.startMs ?? 0) && s.t <= (t.baseline?.endMs ?? 0) + 1000), `${label} baseline in its window`).toBe(true);
      const during = stream(label, 'during');
      const ts = during.samples.map((s) => s.t);
      expect(ts.some((x) => x < migration.startMs), `${label} before the migration`).toBe(true);
      if (label === 'iperf3@guest' || label === 'iperf@guest') {
        // Through the source QEMU's forwarded port the stream breaks at the switch-over: an end, not a crash.
        expect(during.ends.some((e) => e.kind === 'broken' && e.t >= switchover - 1000), `${label} broken at the switch-over: ${JSON.stringify(during.ends)}`).toBe(true);
      } else {
        expect(ts.some((x) => x > migration.startMs && x <= switchover), `${label} while migrating`).toBe(true);
        expect(ts.filter((x) => x > switchover + 1000).length, `${label} after the switch-over`).toBeGreaterThanOrEqual(2);
      }
      // A sample of 0 is a real reading (an iperf3 interval in which a TCG guest on a loaded machine
      // stalled); a NaN or a negative figure would be a parsing bug, and mostly zeros a dead stream.
      expect(during.samples.every((s) => Number.isFinite(s.value) && s.value >= 0), `${label} samples are figures`).toBe(true);
      const values = during.samples.map((s) => s.value).sort((a, b) => a - b);
      expect(values[Math.floor(values.length / 2)], `${label} median sample`).toBeGreaterThan(0);
      figures.push(`${label}: ${baseline.samples.length} baseline samples, ${ts.filter((x) => x < migration.startMs).length} before, ${ts.filter((x) => x > migration.startMs && x <= switchover).length} migrating, ${ts.filter((x) => x > switchover).length} after; ends ${during.ends.map((e) => e.kind).join(', ')}`);
    }
    figures.push(`migration ${(migration.endMs - migration.startMs) / 1000} s on a ${((t.during?.endMs ?? 0) - (t.during?.startMs ?? 0)) / 1000} s window, downtime ${summary.downtimeMs} ms`);

    const stored = readFileSync(join(labDir, '.qemu-lab', 'results', 'migrations.jsonl'), 'utf8').trim().split('\n');
    const record = JSON.parse(stored.at(-1) ?? '{}') as { kind: string; summary: { status: string }; timeline?: MigrationTimeline };
    expect(record).toMatchObject({ kind: 'migration', summary: { status: 'completed' } });
    expect(record.timeline?.streams.length).toBe(8);
    expect(record.timeline?.streams).toEqual(t.streams);

    // Nothing left behind: no benchmark on the host or in the guest, one QEMU, at its new place.
    expect(leftoverBenchmarks()).toEqual([]);
    const after = await statusOf(cli, 'vm1');
    expect(after.state).toBe('running');
    expect(after.pid).not.toBe(before.pid);
    expect(qemuProcessesMentioning(state)).toHaveLength(1);
    const inGuest = await guestExec(cli, 'vm1', 'pidof sysbench iperf3 iperf; ls /tmp/qemu-lab-during 2>&1; true');
    expect(inGuest.stdout).not.toMatch(/^\d+/m);
    expect(inGuest.stdout).toMatch(/No such file/);
  });
});
