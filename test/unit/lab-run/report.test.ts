import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PartOutcome } from '../../../extension/core/lab-run/outcome';
import type { LabPart } from '../../../extension/core/lab-run/parts';
import { renderLabReport, type LabReportInput } from '../../../extension/core/lab-run/report';
import { pausedShare } from '../../../extension/core/lab-run/report-colo';
import type { MigrationRecord } from '../../../extension/core/migration/store';
import { runLogOf, runRecords } from '../panels/experiment-records';

// The migration record a real `migrate --same-host --during sysbench-cpu@guest,iperf3@guest,…` stored (test/fixtures/during/SOURCES.md).
const migration = JSON.parse(readFileSync(join(__dirname, '../../fixtures/during/migration-record-during.json'), 'utf8')) as MigrationRecord;
const labPath = '/lab/qemu-lab.yaml';
const BRIDGE = 'isolated bridge network "lab" (TAP, in namespace qlab-1)';

const parts: LabPart[] = [
  { key: 'experiment:course', kind: 'experiment', name: 'course', estimateSeconds: 100 },
  { key: 'migration:move', kind: 'migration', name: 'move', estimateSeconds: 60 },
  { key: 'colo:vm1', kind: 'colo', name: 'vm1', estimateSeconds: 40 },
  { key: 'colo:vm2', kind: 'colo', name: 'vm2', estimateSeconds: 40 },
];
const cells = (scale: number) => [
  { benchmark: 'sysbench-cpu' as const, target: 'host' as const, values: [1000 * scale, 1010 * scale] },
  { benchmark: 'sysbench-cpu' as const, target: 'guest' as const, accel: 'tcg' as const, values: [100 * scale, 104 * scale] },
];
const results = [
  ...runRecords({ experiment: 'course', runId: 'run-a', started: '2026-12-02T10:00:00Z', cells: cells(1), network: BRIDGE }),
  ...runRecords({ experiment: 'course', runId: 'run-b', started: '2026-12-02T11:00:00Z', cells: cells(1.1), network: BRIDGE }),
];
const identity = { macs: { eth0: '52:54:00:8e:4a:1c' }, addresses: { eth0: ['10.77.0.11/24'] } };
const at = (run: number) => `2026-12-02T1${run}:00:00.000Z`;
const outcomes: Record<string, PartOutcome[]> = {
  'experiment:course': [1, 2].map((run) => ({ key: 'experiment:course', kind: 'experiment', name: 'course', run, status: 'done', startedAt: at(run), seconds: 90, result: { kind: 'experiment', runId: run === 1 ? 'run-a' : 'run-b', cells: { done: 2, skipped: 4, failed: 0 } } })),
  'migration:move': [
    { key: 'migration:move', kind: 'migration', name: 'move', run: 1, status: 'done', startedAt: at(1), seconds: 70, result: { kind: 'migration', recordId: migration.id, argv: ['qemu-system-x86_64', '-name', 'vm1', '-accel', 'tcg'], guest: { kernel: '6.1.0-40-amd64', cpu: 'QEMU Virtual CPU version 2.5+' }, networkBefore: identity, networkAfter: identity } },
    { key: 'migration:move', kind: 'migration', name: 'move', run: 2, status: 'failed', reason: 'VM "vm1" did not boot in 120 s. Look at its serial log.', startedAt: at(2), seconds: 120 },
  ],
  'colo:vm1': [
    { key: 'colo:vm1', kind: 'colo', name: 'vm1', run: 1, status: 'done', startedAt: at(1), seconds: 50, result: { kind: 'colo', qemuVersion: '11.1.3', checkpointDelayMs: 2000, enterColoMs: 6100, checkpoints: { lookMs: 4500, count: 3, intervalsMs: [2003, 2008], pausesMs: [295, 392] }, failover: { survivor: 'secondary', durationMs: 210 },
        cost: {
          baseline: 'before-colo',
          seconds: 10,
          figures: [
            { benchmark: 'sysbench-cpu', unit: 'events/s', without: 212.4, with: 150.3, ratio: 150.3 / 212.4 },
            { benchmark: 'sysbench-memory', unit: 'MiB/s', without: 1450, with: 640, ratio: 640 / 1450 },
          ],
          underLoad: { lookMs: 10000, count: 4, intervalsMs: [2400, 2650], pausesMs: [510, 880, 620, 700] },
        },
      },
    },
  ],
};
const input = (over: Partial<LabReportInput> = {}): LabReportInput => ({
  labPath,
  parts,
  state: { schema: 1, parts: outcomes },
  results,
  runLogs: new Map([['run-b', runLogOf({ experiment: 'course', runId: 'run-b', labPath, network: BRIDGE, notDone: [{ cell: 'guest/kvm/virtio/sysbench-cpu', status: 'skipped', reason: 'KVM is not usable on host "local": /dev/kvm does not exist' }] })]]),
  migrations: [{ ...migration, lab: labPath }],
  writtenAt: '2026-12-02T12:00:00.000Z',
  ...over,
});

describe('the lab report', () => {
  const report = renderLabReport(input());
  const md = report.markdown;

  it('has a section per part in the lab order, after the parts table and the set-up as run', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Set-up as run', '## Experiment course', '## Migration move', '## COLO pair of vm1', '## COLO pair of vm2']);
    expect(md).toContain('| experiment:course | done | 2 | 2026-12-02T11:00:00.000Z | 3 min 00 s |');
    expect(md).toContain('| migration:move | done, failed | 2 |');
    expect(md).toContain('| colo:vm2 | not run yet | – | – | – |');
  });

  it("shows the set-up as run: host and guest facts from the records, the guest's own view and the QEMU argv", () => {
    expect(md).toContain('| Host CPU | AMD EPYC 7B13 |');
    expect(md).toContain('| QEMU | 7.2.15 (/usr/bin/qemu-system-x86_64) |');
    expect(md).toContain("the guest's own view: kernel 6.1.0-40-amd64, CPU QEMU Virtual CPU version 2.5+");
    expect(md).toContain('```\nqemu-system-x86_64 -name vm1 -accel tcg\n```');
  });

  it("links every experiment figure to its records (run id, cell, repetition → record id) and states the spread between whole runs", () => {
    const run = results.filter((r) => r.metadata.runId === 'run-b');
    expect(md).toContain('Run run-b (the last of 2 whole runs)');
    expect(md).toMatch(/\| sysbench-cpu \| host \| 1\.1\dk events\/s .*\| \[E1\]\(#records-experimentcourse\) \|/);
    expect(md).toContain('### Records: experiment:course');
    for (const r of run) expect(md).toContain(`${r.metadata.repetition}: ${r.id}`);
    expect(md).toContain('| E2 | run-b | `guest/tcg/virtio/sysbench-cpu` |');
    expect(md).toContain('Spread between 2 whole runs');
    // Host medians 1005 and 1105.5: ±4.8 % of their mean.
    expect(md).toContain('| sysbench-cpu · host | 1005 | 1106 | 1.00k–1.11k events/s (±4.8 % of the mean) |');
    expect(md).toContain('- `guest/kvm/virtio/sysbench-cpu` — skipped: KVM is not usable on host "local": /dev/kvm does not exist');
  });

  it("gives the migration's figures, the timeline chart with baseline / while / after medians, and what kept the network", () => {
    expect(md).toContain(`| Downtime | ${migration.summary.downtimeMs} ms | [M1](#records-migrationmove) |`);
    expect(md).toMatch(/\| sysbench-cpu@guest \| local \| [\d.]+ events\/s \| [\d.]+ events\/s \| [\d.]+ events\/s \| [\d.]+ events\/s \| \d+ % \|/);
    expect(md).toContain('| eth0 | 52:54:00:8e:4a:1c | 52:54:00:8e:4a:1c | 10.77.0.11/24 | 10.77.0.11/24 |');
    expect(md).toContain('- The guest kept its MAC and its addresses');
    // That run was on user networking: the stream through the forwarded port broke at the switch-over, and the report says so.
    expect(md).toContain('- iperf3@guest: the stream broke at 15.8 s (iperf3: control socket has closed unexpectedly).');
    expect(md).toContain(`| M1 | 1 | ${migration.id} | ${migration.timestamp} |`);
    expect(md).toContain('> Failed (run 2, 2026-12-02T12:00:00.000Z): VM "vm1" did not boot in 120 s. Look at its serial log.');
    const timelines = report.files.filter((f) => f.path.includes('migration_move'));
    expect(timelines.map((f) => f.path).sort()).toEqual(['charts/migration_move-iperf3_guest.svg', 'charts/migration_move-sysbench-cpu_guest.svg', 'charts/migration_move-sysbench-memory_host.svg']);
    for (const f of timelines) {
      expect(f.content).toMatch(/^<svg [^]*>migrating<\/text>[^]*<polyline [^]*<\/svg>\n$/);
      // Both runs drawn: the baseline and the run around the migration.
      expect(f.content.match(/<polyline /g)?.length).toBe(2);
    }
  });

  it("gives COLO's checkpoints, what they cost the guest and the failover", () => {
    expect(pausedShare({ checkpoints: { lookMs: 4500, count: 3, intervalsMs: [2003, 2008], pausesMs: [295, 392] } })).toBeCloseTo(343.5 / 2005.5, 6);
    expect(md).toContain('| Guest paused per checkpoint (STOP → RESUME) | 295–392 ms | [C1](#records-colovm1) |');
    expect(md).toContain("| Paused share of the idle guest's time | 17 % |");
    expect(md).toContain('| Failover to the secondary | 210 ms |');
  });

  it('gives what COLO costs the guest under load: without, with, ratio, pauses idle and under load, a chart per benchmark', () => {
    expect(md).toContain('sysbench in the guest, 10 s each, one run without COLO (the same QEMU process before COLO was added to it) and one as the COLO primary.');
    expect(md).toContain('in host time the guest stood still 27 % of the time watched under load, taken off in the host-time columns.');
    expect(md).toContain('| sysbench-cpu | 212 events/s | 150 events/s | 0.71× (−29 %) | 110 events/s | 0.52× (−48 %) | [C1](#records-colovm1) |');
    expect(md).toContain('| sysbench-memory | 1.45k MiB/s | 640 MiB/s | 0.44× (−56 %) | 467 MiB/s | 0.32× (−68 %) | [C1](#records-colovm1) |');
    expect(md).toContain('| Seen (in looks of) | 3 (4.5 s) | 4 (10.0 s) | [C1](#records-colovm1) |');
    expect(md).toContain('| Guest paused per checkpoint (STOP → RESUME) | 295–392 ms | 510–880 ms | [C1](#records-colovm1) |');
    const charts = report.files.filter((f) => f.path.includes('colo_vm1'));
    expect(charts.map((f) => f.path)).toEqual(['charts/colo_vm1-sysbench-cpu.svg', 'charts/colo_vm1-sysbench-memory.svg']);
    for (const f of charts) expect(md).toContain(`](${f.path})`);
    expect(charts[1]?.content).toMatch(/^<svg [^]*>without COLO<\/text>[^]*>COLO \(guest clock\)<\/text>[^]*>COLO \(host time\)<\/text>[^]*<\/svg>\n$/);
    const unmeasured = renderLabReport(input({ state: { schema: 1, parts: { 'colo:vm1': [{ ...(outcomes['colo:vm1']?.[0] as PartOutcome), result: { kind: 'colo', qemuVersion: '11.1.3', checkpointDelayMs: 2000, enterColoMs: 6100, checkpoints: undefined, failover: undefined, costError: 'sysbench: command not found' } }] } } }));
    expect(unmeasured.markdown).toContain('> not measured: sysbench: command not found');
    expect(unmeasured.files.filter((f) => f.path.includes('colo_'))).toEqual([]);
  });

  it('is the same report in HTML: every link reaches its anchor, charts inline, nothing unescaped', () => {
    const html = report.html;
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(ids.has(link), link).toBe(true);
    expect((html.match(/<figure><svg /g) ?? []).length).toBe(report.files.length);
    expect(html).toContain('<pre><code>qemu-system-x86_64 -name vm1 -accel tcg</code></pre>');
    const hostile = renderLabReport(input({ state: { schema: 1, parts: { 'colo:vm1': [{ ...(outcomes['colo:vm1']?.[0] as PartOutcome), status: 'skipped', reason: '<script>alert(1)</script> | `x`', result: undefined }] } } })).html;
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
