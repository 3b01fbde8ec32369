import { describe, expect, it } from 'vitest';
import { formatEta, remainingSeconds } from '../../../extension/core/lab-run/eta';
import { ESTIMATE, labParts, selectParts } from '../../../extension/core/lab-run/parts';
import type { LabModel } from '../../../extension/core/lab/model';
import { parse } from '../lab/helpers';

const NO_KVM = { usable: false, reason: '/dev/kvm does not exist' };
const KVM = { usable: true, reason: 'usable' };

function lab(text: string): LabModel {
  const parsed = parse(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return parsed.lab as LabModel;
}

const COURSE = [
  'vms:',
  '  vm1: { accel: tcg, machine: pc, faultTolerance: { mode: colo, secondary: local, checkpointDelay: 2s } }',
  'experiments:',
  '  kvm-vs-tcg: { vm: vm1, matrix: { accel: [kvm, tcg], nic: [virtio, e1000] }, targets: [host, guest], benchmarks: [sysbench-cpu, iperf3], repetitions: 3, duration: 2s }',
  'migrations:',
  '  move: { vm: vm1, to: local, sameHost: true, during: [sysbench-cpu@guest, iperf3@guest], duringSeconds: 10 }',
  '  plain: { vm: vm1, to: local, sameHost: true }',
  '',
].join('\n');

describe('the parts of a lab run', () => {
  it('lists experiments, migrations and COLO pairs in order, keyed by lab entry, with estimates from the declared durations', () => {
    const parts = labParts(lab(COURSE), NO_KVM);
    expect(parts.map((p) => p.key)).toEqual(['experiment:kvm-vs-tcg', 'migration:move', 'migration:plain', 'colo:vm1']);
    // Without KVM: 2 TCG guests booted; cells: 2 on the host, per guest sysbench-cpu + iperf3 both ways = 3 → 2 + 6 = 8 cells of (3 + 1) × 2 s.
    expect(parts[0]?.estimateSeconds).toBe(2 * ESTIMATE.bootSeconds + 8 * (4 * 2 + ESTIMATE.cellOverheadSeconds));
    // The baseline and a run at least as long around the migration, with lead and tail.
    expect(parts[1]?.estimateSeconds).toBe(ESTIMATE.bootSeconds + (10 * 2 + 3 + 5) + ESTIMATE.migrationSeconds + ESTIMATE.migrationChecksSeconds);
    expect(parts[2]?.estimateSeconds).toBe(ESTIMATE.bootSeconds + ESTIMATE.migrationSeconds + ESTIMATE.migrationChecksSeconds);
    // Checkpoints every 2 s are watched as `colo status` watches them (two intervals and half a second); its cost: sysbench cpu and memory, 10 s each, without and with COLO.
    const cost = (seconds: number) => 4 * (seconds + ESTIMATE.coloCostOverheadSeconds);
    expect(parts[3]?.estimateSeconds).toBe(ESTIMATE.bootSeconds + ESTIMATE.coloSetUpSeconds + 4.5 + cost(10) + ESTIMATE.coloFailoverSeconds);
    expect(labParts(lab(COURSE), NO_KVM, 3)[3]?.estimateSeconds).toBe(ESTIMATE.bootSeconds + ESTIMATE.coloSetUpSeconds + 4.5 + cost(3) + ESTIMATE.coloFailoverSeconds);
  });

  it('counts the KVM cells only where KVM is usable', () => {
    const [withKvm] = labParts(lab(COURSE), KVM);
    const [without] = labParts(lab(COURSE), NO_KVM);
    expect((withKvm?.estimateSeconds ?? 0) - (without?.estimateSeconds ?? 0)).toBe(2 * ESTIMATE.bootSeconds + 6 * (4 * 2 + ESTIMATE.cellOverheadSeconds));
  });

  it('selects a part by key or by a name only one part has; says which when a name is shared or unknown', () => {
    const parts = labParts(lab(COURSE), NO_KVM);
    expect(selectParts(parts, undefined)).toMatchObject({ ok: true, parts: { length: 4 } });
    expect(selectParts(parts, 'migration:move')).toMatchObject({ ok: true, parts: [{ key: 'migration:move' }] });
    expect(selectParts(parts, 'plain')).toMatchObject({ ok: true, parts: [{ key: 'migration:plain' }] });
    expect(selectParts(parts, 'vm1')).toMatchObject({ ok: true, parts: [{ key: 'colo:vm1' }] });
    expect(selectParts(parts, 'migration:mvoe')).toEqual({ ok: false, message: expect.stringContaining('did you mean "migration:move"?') });
    expect(selectParts(parts, 'nothing-like-it')).toEqual({ ok: false, message: expect.stringContaining('its parts are experiment:kvm-vs-tcg, migration:move, migration:plain, colo:vm1') });
    const shared = labParts(lab(['vms:', '  a: { faultTolerance: { mode: colo, secondary: local } }', 'migrations:', '  a: { vm: a, to: local, sameHost: true }', ''].join('\n')), NO_KVM);
    expect(selectParts(shared, 'a')).toEqual({ ok: false, message: '"a" names 2 parts; say which: migration:a, colo:a' });
  });
});

describe('the ETA of a whole run', () => {
  it('is the estimates left, minus what the running part has used', () => {
    const parts = [{ estimateSeconds: 100 }, { estimateSeconds: 50 }, { estimateSeconds: 30 }];
    expect(remainingSeconds(parts, 0, 0)).toBe(180);
    expect(remainingSeconds(parts, 0, 40)).toBe(140);
    expect(remainingSeconds(parts, 0, 500)).toBe(80);
  });

  it('scales the rest by how the finished parts compared with their estimates, within bounds', () => {
    // The first part took twice its estimate: the rest likely will too.
    expect(remainingSeconds([{ estimateSeconds: 100, actualSeconds: 200 }, { estimateSeconds: 50 }], 1, 0)).toBe(100);
    // A part skipped at once (0 s) does not make the rest look free: at most halved.
    expect(remainingSeconds([{ estimateSeconds: 100, actualSeconds: 0 }, { estimateSeconds: 50 }], 1, 0)).toBe(25);
    // Ten times slower counts as three.
    expect(remainingSeconds([{ estimateSeconds: 10, actualSeconds: 100 }, { estimateSeconds: 50 }], 1, 0)).toBe(150);
    expect(remainingSeconds([{ estimateSeconds: 10, actualSeconds: 12 }], undefined, 0)).toBe(0);
  });

  it('is worded for people', () => {
    expect([formatEta(0), formatEta(44.6), formatEta(750), formatEta(3900)]).toEqual(['0 s', '45 s', '12 min 30 s', '1 h 05 min']);
  });
});

describe('the ETA, when the running part knows its own', () => {
  it('takes what the part says it has left over its estimate', () => {
    const parts = [{ estimateSeconds: 100 }, { estimateSeconds: 50 }];
    // Past its estimate, the part still has 30 s by its own count of runs.
    expect(remainingSeconds(parts, 0, 150, 30)).toBe(80);
    expect(remainingSeconds(parts, 0, 150)).toBe(50);
  });
});
