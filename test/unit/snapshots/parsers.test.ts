import { describe, expect, it } from 'vitest';
import { parseBlockDevices, parseNamedBlockNodes, parseSnapshotInfos } from '../../../extension/core/snapshots/block-parsers';
import { jobStatusChange, parseQueryJobs } from '../../../extension/core/snapshots/job-parsers';
import { captured } from './captured';


describe('snapshot parsers, on replies captured from QEMU 7.2', () => {
  it("reads a disk guest's disks from query-block: the overlay writable qcow2, the seed read-only raw", () => {
    expect(parseBlockDevices(captured('query-block-disk-guest.json'))).toEqual([
      { device: 'virtio0', node: expect.stringMatching(/^#block\d+$/) as unknown, driver: 'qcow2', readOnly: false, file: 'disk.qcow2' },
      { device: 'virtio1', node: expect.stringMatching(/^#block\d+$/) as unknown, driver: 'raw', readOnly: true, file: 'seed.iso' },
    ]);
    expect(parseBlockDevices(captured('query-block-raw-disk.json')).map((d) => `${d.device} ${d.driver} ${d.readOnly ? 'ro' : 'rw'}`)).toEqual([
      'virtio0 qcow2 rw',
      'virtio1 raw ro',
      'virtio2 raw rw',
    ]);
  });

  it('reads the snapshots of each node from query-named-block-nodes: name, time, memory size, guest clock', () => {
    const nodes = parseNamedBlockNodes(captured('named-block-nodes-builtin-one-snapshot.json'));
    expect(nodes.map((n) => `${n.node} ${n.driver}`)).toEqual(['state0 qcow2', expect.stringMatching(/^#block\d+ file$/)]);
    expect(nodes[0]?.snapshots).toEqual([{ id: '1', name: 'snap1', date: '2026-12-02T14:56:41.252Z', vmStateBytes: 100426686, vmClockSeconds: 23.697724324 }]);
    expect(nodes[1]?.snapshots).toEqual([]);
    const disk = parseNamedBlockNodes(captured('named-block-nodes-disk-guest.json'));
    expect(disk.find((n) => n.node === 'qemu-lab-state')).toMatchObject({ driver: 'qcow2', readOnly: false, snapshots: [] });
  });

  it('skips what is not of that shape instead of throwing', () => {
    expect(parseBlockDevices({})).toEqual([]);
    expect(parseBlockDevices([null, { device: 'x' }, { inserted: { drv: 'raw' } }])).toEqual([]);
    expect(parseNamedBlockNodes('nope')).toEqual([]);
    expect(parseSnapshotInfos([{ name: 'a' }, 7, { name: 'b', id: '2', 'vm-state-size': -5, 'date-sec': 'x' }])).toEqual([
      { id: '2', name: 'b', date: '1970-01-01T00:00:00.000Z', vmStateBytes: 0, vmClockSeconds: 0 },
    ]);
  });

  it("reads query-jobs: a concluded job, and a failed one with QEMU's own words", () => {
    expect(parseQueryJobs(captured('query-jobs-concluded.json'))).toEqual([{ id: 's1', type: 'snapshot-save', status: 'concluded', error: undefined }]);
    expect(parseQueryJobs(captured('query-jobs-load-missing.json'))[0]?.error).toBe("Snapshot 'nope' does not exist in one or more devices");
    expect(parseQueryJobs([{ id: 1 }, 'x'])).toEqual([]);
    expect(jobStatusChange({ status: 'concluded', id: 's1' })).toEqual({ id: 's1', status: 'concluded' });
    expect(jobStatusChange({ status: 3 })).toBeUndefined();
  });
});
