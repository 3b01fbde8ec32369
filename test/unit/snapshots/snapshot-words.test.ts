import { describe, expect, it } from 'vitest';
import type { VmSnapshot } from '../../../extension/core/snapshots/snapshot-list';
import { snapshotDescription, snapshotSizeText, snapshotTable } from '../../../extension/presentation/snapshots/snapshot-words';

const snap = (over: Partial<VmSnapshot>): VmSnapshot => ({
  name: 'before-upgrade',
  date: '2026-12-02T15:04:05.678Z',
  vmStateBytes: 100426686,
  kind: 'memory',
  vmClockSeconds: 23.6977,
  complete: true,
  ...over,
});

describe('how snapshots read', () => {
  it('sizes in MiB or GiB, a dash for a disk-only snapshot', () => {
    expect(snapshotSizeText(100426686)).toBe('96 MiB');
    expect(snapshotSizeText(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(snapshotSizeText(10)).toBe('1 MiB');
    expect(snapshotSizeText(0)).toBe('—');
  });

  it('one line for a tree row, and a table for the CLI with one column each', () => {
    expect(snapshotDescription(snap({}))).toBe('2026-12-02 15:04:05 UTC · with memory · 96 MiB');
    expect(snapshotDescription(snap({ kind: 'disk-only', vmStateBytes: 0, complete: false }))).toBe('2026-12-02 15:04:05 UTC · disk-only, incomplete · —');
    expect(snapshotTable('vm1', [snap({}), snap({ name: 'b', kind: 'disk-only', vmStateBytes: 0, vmClockSeconds: 1 })])).toBe(
      [
        'NAME            TAKEN                    KIND         SIZE    VM CLOCK',
        'before-upgrade  2026-12-02 15:04:05 UTC  with memory  96 MiB  23.7 s',
        'b               2026-12-02 15:04:05 UTC  disk-only    —       1.0 s',
        '',
      ].join('\n'),
    );
    expect(snapshotTable('vm1', [])).toBe('vm1 has no snapshots (qemu-lab snapshot save vm1 NAME takes one).\n');
  });
});
