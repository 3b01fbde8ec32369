import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../../extension/core/measuring/results/store';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess } from '../../support/run-cli';

// A small matrix for real under TCG, with short runs: records, stats and the report's tables.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'bench-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const env = { QEMU_LAB_STATE_DIR: join(root, 'bench-state') };
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env });

interface Outcome {
  cell: { id: string };
  status: string;
  reason?: string;
  summary?: { count: number; median: number };
}

beforeAll(() => {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(
    lab,
    [
      'vms:',
      '  vm1: { memory: 512M, accel: auto }',
      'experiments:',
      '  small:',
      '    vm: vm1',
      '    matrix: { accel: [kvm, tcg] }',
      '    targets: [host, guest]',
      '    benchmarks: [sysbench-cpu, iperf3]',
      '    repetitions: 2',
      '    duration: 1s',
      '  fresh:',
      '    vm: vm1',
      '    matrix: { accel: [tcg] }',
      '    benchmarks: [sysbench-cpu]',
      '    repetitions: 2',
      '    duration: 1s',
      '    fromSnapshot: start',
      '',
    ].join('\n'),
  );
});

describe('qemu-lab bench and report (real QEMU, TCG)', () => {
  let outcomes: Outcome[] = [];

  it('runs every runnable cell, stores each run, and reports KVM cells as skipped with the reason', async () => {
    const run = await cli('--json', 'bench', 'small');
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { runId: string; outcomes: Outcome[]; network: string };
    outcomes = parsed.outcomes;
    expect(parsed.network).toMatch(/user networking/);
    expect(outcomes.map((o) => [o.cell.id, o.status])).toEqual([
      ['host/sysbench-cpu', 'done'],
      ['host/iperf3', 'done'],
      ['guest/kvm/virtio/sysbench-cpu', 'skipped'],
      ['guest/kvm/virtio/iperf3/to-guest', 'skipped'],
      ['guest/kvm/virtio/iperf3/from-guest', 'skipped'],
      ['guest/tcg/virtio/sysbench-cpu', 'done'],
      ['guest/tcg/virtio/iperf3/to-guest', 'done'],
      ['guest/tcg/virtio/iperf3/from-guest', 'done'],
    ]);
    const skipped = outcomes.find((o) => o.status === 'skipped');
    // This machine's /dev/kvm is PVM-backed; on a host with usable KVM nothing is skipped.
    expect(skipped?.reason).toMatch(/KVM is not usable/);

    const { records, problems } = await readResults(labDir);
    expect(problems).toEqual([]);
    const ofRun = records.filter((r) => r.metadata.runId === parsed.runId);
    for (const o of outcomes.filter((x) => x.status === 'done')) {
      const stored = ofRun.filter((r) => r.metadata.cell === o.cell.id);
      expect(stored.length, o.cell.id).toBe(o.summary?.count);
      expect(stored.length).toBeGreaterThanOrEqual(2);
      expect(stored.length).toBeLessThanOrEqual(4); // CV rule: at most twice the planned 2.
      for (const r of stored) expect(Number.isFinite(r.metric.value) && r.metric.value > 0).toBe(true);
    }
    // Both directions by default: from-guest runs iperf3 in reverse, so the server in the guest sends.
    const iperfOf = (direction: string) => ofRun.filter((r) => r.benchmark === 'iperf3' && r.target === 'guest' && r.metadata.direction === direction);
    expect(iperfOf('to-guest').map((r) => r.raw.benchmark === 'iperf3' && r.raw.reverse)).toEqual(iperfOf('to-guest').map(() => false));
    expect(iperfOf('from-guest').map((r) => r.raw.benchmark === 'iperf3' && r.raw.reverse)).toEqual(iperfOf('from-guest').map(() => true));
    expect(iperfOf('from-guest').length).toBeGreaterThanOrEqual(2);
    const guestRecord = ofRun.find((r) => r.target === 'guest');
    expect(guestRecord?.metadata).toMatchObject({ accel: 'tcg', nic: 'virtio', qemuVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/), guest: { vm: 'vm1', memoryBytes: 512 * 1024 ** 2 } });
    expect(guestRecord?.metadata.toolVersions?.sysbench ?? guestRecord?.metadata.toolVersions?.iperf3).toBeTruthy();
    // The guest's own view beside the host's: its kernel, and the CPU model TCG shows it.
    expect(guestRecord?.metadata.guest?.kernel).toMatch(/^\d+\.\d+/);
    expect(guestRecord?.metadata.guest?.cpu).toBeTruthy();
    console.log(`the guest's own view: kernel ${guestRecord?.metadata.guest?.kernel}, CPU ${guestRecord?.metadata.guest?.cpu}`);
    expect(qemuProcessesMentioning(join(root, 'bench-state'))).toEqual([]);
  });

  it('fromSnapshot: the VM is snapshotted once booted and loaded before the warm-up and every repetition', async () => {
    const run = await cli('--json', 'bench', 'fresh');
    expect(run.code, run.stderr).toBe(0);
    const [outcome, ...others] = (JSON.parse(run.stdout) as { outcomes: Outcome[] }).outcomes;
    expect(others).toEqual([]);
    expect([outcome?.cell.id, outcome?.status, outcome?.reason]).toEqual(['guest/tcg/virtio/sysbench-cpu', 'done', undefined]);
    expect(run.stderr).toMatch(/vm1\.tcg-virtio: taking snapshot start to start each run from/);
    // Each load ran as a QEMU job that concluded without error (a failed one fails the cell).
    const loads = run.stderr.split('\n').filter((line) => line.endsWith('guest/tcg/virtio/sysbench-cpu: back to snapshot start'));
    expect(loads).toHaveLength((outcome?.summary?.count ?? 0) + 1);
    // The snapshot stays on the experiment VM's state disk, with its memory.
    const vms = join(root, 'bench-state', 'vms');
    const runDir = readdirSync(vms).find((name) => name.endsWith('-vm1.tcg-virtio')) ?? '';
    const listed = execFileSync('qemu-img', ['snapshot', '-l', '-U', join(vms, runDir, 'state.qcow2')], { encoding: 'utf8' });
    expect(listed).toMatch(/\bstart\b/);
    expect(qemuProcessesMentioning(join(root, 'bench-state'))).toEqual([]);
  });

  it('writes a Markdown report with the medians table, ratios, charts and the skipped cells', async () => {
    const run = await cli('report', 'small', '-o', join(labDir, 'out', 'small.md'));
    expect(run.code, run.stderr).toBe(0);
    const md = readFileSync(join(labDir, 'out', 'small.md'), 'utf8');
    expect(md).toMatch(/\| Benchmark \| Where \| Median \|/);
    expect(md).toMatch(/\| sysbench-cpu \| guest · tcg · virtio \| \S+ events\/s \|/);
    expect(md).toMatch(/\| Guest's own view \| kernel \d+\.\d+\S*, CPU \S.* \|/);
    expect(md).toMatch(/host \d+\.\d× faster than guest \(tcg, virtio\)/);
    expect(md).toMatch(/`guest\/kvm\/virtio\/sysbench-cpu` — skipped: KVM is not usable/);
    expect(md).toMatch(/\| iperf3 \| guest · tcg · virtio · guest → host \| \S+ \S*bit\/s \|/);
    expect(existsSync(join(labDir, 'out', 'charts', 'small-iperf3_guest_host.svg'))).toBe(true);
    expect(existsSync(join(labDir, 'out', 'charts', 'small-iperf3_host_guest.svg'))).toBe(true);
    expect(existsSync(join(labDir, 'out', 'charts', 'small-sysbench-cpu.svg'))).toBe(true);
    const cpuDone = outcomes.find((o) => o.cell.id === 'guest/tcg/virtio/sysbench-cpu');
    expect(cpuDone?.summary?.median).toBeGreaterThan(0);
  });

  it('exports raw values as CSV, one row per stored run', async () => {
    const run = await cli('report', 'small', '--format', 'csv', '-o', join(labDir, 'out', 'small.csv'));
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(join(labDir, 'out', 'small.csv'), 'utf8').trim().split('\n');
    const stored = outcomes.reduce((n, o) => n + (o.summary?.count ?? 0), 0);
    expect(lines.length).toBe(stored + 1);
  });
});
