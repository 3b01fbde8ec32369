import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../../extension/core/lab/parse';
import type { VmSnapshot } from '../../../../extension/core/snapshots/snapshot-list';
import type { VmNode } from '../../../../extension/presentation/tree/nodes';
import { listsSnapshots, snapshotDescription, snapshotRows } from '../../../../extension/presentation/tree/snapshot-rows';

const lab = parseLabText('vms:\n  vm1: {}\n', '/w/qemu-lab.yaml').lab;
if (lab === undefined) throw new Error('no model');
const vm1 = lab.vms.get('vm1');
if (vm1 === undefined) throw new Error('no vm1');
const node: VmNode = { kind: 'vm', lab, vm: vm1 };

const taken: VmSnapshot = { name: 'before-upgrade', date: '2026-12-02T18:40:12Z', vmStateBytes: 212 * 1024 * 1024, kind: 'memory', vmClockSeconds: 35.4, complete: true };

describe('snapshot rows under a VM', () => {
  it('one row per snapshot, in the order read', () => {
    const second = { ...taken, name: 'after' };
    expect(snapshotRows(node, { snapshots: [taken, second] }).map((r) => (r.kind === 'snapshot' ? r.snapshot.name : r.note))).toEqual(['before-upgrade', 'after']);
  });

  it('a row offering to take one when there is none, or saying why none could be read', () => {
    expect(snapshotRows(node, { snapshots: [] })).toEqual([{ kind: 'snapshot-note', vm: node, note: 'none' }]);
    expect(snapshotRows(node, { error: 'QMP socket refused' })).toEqual([{ kind: 'snapshot-note', vm: node, note: 'unavailable', reason: 'QMP socket refused' }]);
  });

  it('describes when it was taken, what it holds, and whether it can be loaded', () => {
    expect(snapshotDescription(taken)).toBe('2026-12-02 18:40 UTC · memory 212 MiB · after 35 s');
    expect(snapshotDescription({ ...taken, kind: 'disk-only', vmStateBytes: 0, complete: false })).toBe('2026-12-02 18:40 UTC · disks only · after 35 s · not on every disk');
  });

  it('lists snapshots of running and paused VMs only', () => {
    expect(['running', 'paused', 'stopped', 'migrating', 'incoming', 'powering-down'].filter(listsSnapshots)).toEqual(['running', 'paused']);
  });
});
