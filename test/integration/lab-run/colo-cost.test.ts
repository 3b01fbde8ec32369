import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColoPartResult } from '../../../extension/core/lab-run/outcome';
import type { LabRunState } from '../../../extension/core/lab-run/state';
import { qemuProcessesMentioning } from '../../support/qemu-processes';
import { runCliProcess, type CliRun } from '../../support/run-cli';

// The COLO part of `qemu-lab run`, for real, on a QEMU that checkpoints under TCG (11.1, the
// test set-up's private root: QEMU_LAB_TEST_QEMU_NEW): the pair comes up, sysbench cpu and memory
// run in the guest on the plain VM before COLO is added (the same QEMU process) and again as the
// COLO primary with looks at its checkpoints, then the failover and the pair down. The lab-run
// test runs this part on 7.2, where it is skipped; only here does it run. One pair, no disk.
// Figures are asserted to exist, never their size: speed lives in benchmarks.
const newQemu = process.env.QEMU_LAB_TEST_QEMU_NEW ?? '';
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'lab-run-colo-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const state = join(root, 'lab-run-colo-state');
const reports = join(labDir, '.qemu-lab', 'reports');
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir, env: { ...process.env, QEMU_LAB_STATE_DIR: state, QEMU_LAB_QEMU: newQemu } });
/** A bound on hangs only: a pair boot took 130–185 s here beside a CI run, and the cost adds four 5 s runs over SSH. */
const RUN_MS = 720_000;
let run: CliRun;
let seconds = 0;

beforeAll(async () => {
  expect(root).not.toBe('');
  if (newQemu === '') throw new Error('QEMU_LAB_TEST_QEMU_NEW is not set: this test needs the wrapper of a QEMU that checkpoints under TCG (11.1; see the README, "COLO fault tolerance").');
  expect(existsSync(newQemu), `QEMU_LAB_TEST_QEMU_NEW=${newQemu} does not exist`).toBe(true);
  mkdirSync(labDir, { recursive: true });
  writeFileSync(lab, ['vms:', '  vm1: { memory: 256M, accel: tcg, machine: pc, faultTolerance: { mode: colo, secondary: local, checkpointDelay: 2s } }', ''].join('\n'));
  const started = Date.now();
  run = await cli('run', '--colo-seconds', '5');
  seconds = (Date.now() - started) / 1000;
}, RUN_MS);

afterAll(async () => {
  if (root !== '' && newQemu !== '') {
    await cli('colo', 'down', 'vm1');
    expect(qemuProcessesMentioning(state)).toEqual([]);
  }
  console.log(`qemu-lab run of a COLO pair with its cost (QEMU 11.1, TCG, nice'd): ${seconds.toFixed(0)} s`);
});

describe("qemu-lab run: what COLO costs the guest, measured (needs QEMU_LAB_TEST_QEMU_NEW; TCG)", () => {
  it('measures sysbench cpu and memory without COLO (before it was added) and as the COLO primary, seeing checkpoints under load', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^colo:vm1 +done \(/m);
    expect(run.stderr).toMatch(/without COLO: sysbench-cpu in the guest for 5 s/);
    expect(run.stderr).toMatch(/with COLO: sysbench-memory in the COLO primary's guest for 5 s/);
    const record = JSON.parse(readFileSync(join(reports, 'lab-run.json'), 'utf8')) as LabRunState;
    const result = record.parts['colo:vm1']?.[0]?.result as ColoPartResult | undefined;
    expect(result?.kind).toBe('colo');
    expect(result?.costError).toBeUndefined();
    const cost = result?.cost;
    expect(cost?.baseline).toBe('before-colo');
    expect(cost?.figures.map((f) => f.benchmark)).toEqual(['sysbench-cpu', 'sysbench-memory']);
    for (const f of cost?.figures ?? []) {
      expect(f.without, `${f.benchmark} without COLO`).toBeGreaterThan(0);
      expect(f.with, `${f.benchmark} with COLO`).toBeGreaterThan(0);
    }
    expect(cost?.underLoad?.count ?? 0, 'checkpoints seen under load').toBeGreaterThanOrEqual(1);
    expect(result?.failover?.survivor).toBe('secondary');
    console.log(`COLO cost (QEMU 11.1, TCG, 5 s runs): ${JSON.stringify(cost)}; idle look ${JSON.stringify(result?.checkpoints)}`);
  });

  it('reports the cost as a table linked to its record, with a chart per benchmark', () => {
    const md = readFileSync(join(reports, 'lab-report.md'), 'utf8');
    expect(md).toContain('### What COLO costs the guest');
    // Without, with by the guest's clock and its ratio, with in host time (the pauses under load taken off) and its ratio.
    expect(md).toMatch(/\| sysbench-cpu \| [\d.]+k? events\/s \| [\d.]+k? events\/s \| [\d.]+× \([−+±]\d+ %\) \| [\d.]+k? events\/s \| [\d.]+× \([−+±]\d+ %\) \| \[C1\]\(#records-colovm1\) \|/);
    expect(md).toMatch(/\| sysbench-memory \| [\d.]+[kM]? MiB\/s \| [\d.]+[kM]? MiB\/s \| [\d.]+× /);
    for (const chart of ['colo_vm1-sysbench-cpu', 'colo_vm1-sysbench-memory']) {
      expect(md).toContain(`](charts/${chart}.svg)`);
      expect(readFileSync(join(reports, 'charts', `${chart}.svg`), 'utf8')).toMatch(/^<svg [^]*<\/svg>\n$/);
    }
    const html = readFileSync(join(reports, 'lab-report.html'), 'utf8');
    expect((html.match(/<figure><svg /g) ?? []).length).toBe(2);
  });
});
