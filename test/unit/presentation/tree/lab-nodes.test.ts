import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../../extension/core/lab/parse';
import type { LabModel } from '../../../../extension/core/lab/model';
import { entriesOf, entryRefOf, labViewRoots, sectionsOf, type LabSectionNode } from '../../../../extension/presentation/tree/lab-nodes';

function lab(text: string, path = '/w/qemu-lab.yaml'): LabModel {
  const parsed = parseLabText(text, path);
  if (parsed.lab === undefined) throw new Error('no model');
  return parsed.lab;
}

const COURSE = lab(
  [
    'networks:',
    '  lan: { kind: bridge, bridge: br0 }',
    '  lab: { kind: isolated, address: 10.77.0.1/24 }',
    'vms:',
    '  vm1: { memory: 512M, network: lab, address: 10.77.0.11/24 }',
    'experiments:',
    '  kvm-vs-tcg: { vm: vm1, matrix: { accel: [kvm, tcg], nic: [virtio, e1000] }, benchmarks: [sysbench-cpu, iperf3], repetitions: 3, duration: 2s }',
    '  quick: { vm: vm1, benchmarks: [sysbench-memory] }',
    'migrations:',
    '  move: { vm: vm1, to: local, sameHost: true, capabilities: [auto-converge], during: [iperf3@guest] }',
    '',
  ].join('\n'),
);

describe('the "Lab" view', () => {
  it('shows the sections of the only lab file at the top, in the file\'s usual order', () => {
    expect(labViewRoots([COURSE]).map((n) => (n.kind === 'section' ? n.section : n.kind))).toEqual(['experiments', 'migrations', 'networks']);
  });

  it('shows one row per lab file when there are several, and no section a file lacks', () => {
    const other = lab('vms:\n  vm1: {}\nmigrations:\n  m: { vm: vm1, to: local, sameHost: true }\n', '/w/b.qemu-lab.yaml');
    const roots = labViewRoots([COURSE, other]);
    expect(roots.map((n) => n.kind)).toEqual(['lab', 'lab']);
    expect(sectionsOf(other).map((s) => s.section)).toEqual(['migrations']);
    expect(labViewRoots([lab('vms:\n  vm1: {}\n')])).toEqual([]);
  });

  it('lists each entry with what it does, in one line, and where the file writes it', () => {
    const [experiments, migrations, networks] = sectionsOf(COURSE) as [LabSectionNode, LabSectionNode, LabSectionNode];
    expect(entriesOf(experiments).map((e) => [e.name, e.description])).toEqual([
      ['kvm-vs-tcg', 'vm1 · kvm, tcg × virtio, e1000 · sysbench-cpu, iperf3 · 3× 2 s'],
      ['quick', 'vm1 · sysbench-memory · 5× 10 s'],
    ]);
    expect(entriesOf(migrations).map((e) => [e.name, e.description])).toEqual([['move', 'vm1 → local (same host) · auto-converge · with iperf3@guest']]);
    expect(entriesOf(networks).map((e) => [e.name, e.description])).toEqual([
      ['lan', 'bridge br0'],
      ['lab', 'isolated 10.77.0.1/24'],
    ]);
    expect(entriesOf(migrations)[0]?.span?.line).toBe(10);
  });

  it('turns an entry row into the reference commands take, and nothing else', () => {
    const [experiments] = sectionsOf(COURSE) as [LabSectionNode];
    const row = entriesOf(experiments)[0];
    expect(entryRefOf(row, 'experiments')).toEqual({ labPath: '/w/qemu-lab.yaml', name: 'kvm-vs-tcg' });
    expect(entryRefOf(row, 'migrations')).toBeUndefined();
    expect(entryRefOf({ kind: 'entry', section: 'experiments', name: 'x' }, 'experiments')).toBeUndefined();
    expect(entryRefOf(undefined, 'experiments')).toBeUndefined();
  });
});
