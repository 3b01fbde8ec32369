import { describe, expect, it } from 'vitest';
import { parseBlockDevices, parseNamedBlockNodes, type NamedBlockNode } from '../../../extension/core/snapshots/block-parsers';
import { SnapshotDiskFormatError, SnapshotUnsupportedError } from '../../../extension/core/snapshots/errors';
import { vmSnapshots } from '../../../extension/core/snapshots/snapshot-list';
import { snapshotTargets } from '../../../extension/core/snapshots/targets';
import { captured } from './captured';

describe('what a whole-VM snapshot covers', () => {
  it('a disk guest: its writable qcow2 overlay (also the memory), not the read-only seed; plus the state disk when it has one', () => {
    const devices = parseBlockDevices(captured('query-block-disk-guest.json'));
    const overlay = devices[0]?.node ?? '';
    expect(snapshotTargets('vm1', devices, [])).toEqual({ vmstate: overlay, devices: [overlay] });
    const nodes = parseNamedBlockNodes(captured('named-block-nodes-disk-guest.json'));
    expect(snapshotTargets('vm1', devices, nodes)).toEqual({ vmstate: 'qemu-lab-state', devices: ['qemu-lab-state', overlay] });
  });

  it('the built-in guest: no disk, its state disk holds everything', () => {
    const nodes = parseNamedBlockNodes(captured('named-block-nodes-disk-guest.json'));
    expect(snapshotTargets('vm1', [], nodes)).toEqual({ vmstate: 'qemu-lab-state', devices: ['qemu-lab-state'] });
  });

  it('refuses a writable raw disk, naming it and saying how to convert it', () => {
    const devices = parseBlockDevices(captured('query-block-raw-disk.json'));
    const error = (() => {
      try {
        snapshotTargets('vm1', devices, []);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SnapshotDiskFormatError);
    expect((error as Error).message).toBe(
      'VM "vm1" has a writable raw disk (virtio2, raw0.img): only qcow2 images can hold snapshots, and a snapshot without that disk would not restore the VM.',
    );
    expect((error as SnapshotDiskFormatError).hint).toContain('qemu-img convert -O qcow2 raw0.img raw0.img.qcow2');
    // A list still reads what the qcow2 disks hold.
    expect(snapshotTargets('vm1', devices, [], { listing: true }).devices).toEqual([devices[0]?.node]);
  });

  it('refuses a VM with nowhere to keep its memory (booted without a state disk), saying what to install', () => {
    expect(() => snapshotTargets('vm1', [], [])).toThrow(SnapshotUnsupportedError);
    expect(() => snapshotTargets('vm1', [], [])).toThrow(/no qcow2 disk to keep its memory/);
  });

  it('lists the snapshots of the memory node, oldest first, marked incomplete when a disk lacks one', () => {
    const at = (name: string, sec: number, size: number) => ({ id: name, name, date: new Date(sec * 1000).toISOString(), vmStateBytes: size, vmClockSeconds: sec / 100 });
    const nodes: NamedBlockNode[] = [
      { node: 'qemu-lab-state', driver: 'qcow2', readOnly: false, file: 's', snapshots: [at('late', 300, 5), at('early', 100, 7), at('disk', 200, 0)] },
      { node: 'd', driver: 'qcow2', readOnly: false, file: 'd', snapshots: [at('early', 100, 0), at('disk', 200, 0)] },
    ];
    expect(vmSnapshots(nodes, { vmstate: 'qemu-lab-state', devices: ['qemu-lab-state', 'd'] })).toEqual([
      { name: 'early', date: '1970-01-01T00:01:40.000Z', vmStateBytes: 7, kind: 'memory', vmClockSeconds: 1, complete: true },
      { name: 'disk', date: '1970-01-01T00:03:20.000Z', vmStateBytes: 0, kind: 'disk-only', vmClockSeconds: 2, complete: true },
      { name: 'late', date: '1970-01-01T00:05:00.000Z', vmStateBytes: 5, kind: 'memory', vmClockSeconds: 3, complete: false },
    ]);
    expect(vmSnapshots(nodes, { vmstate: 'gone', devices: [] })).toEqual([]);
  });
});
