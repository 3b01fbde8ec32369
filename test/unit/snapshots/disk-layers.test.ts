import { describe, expect, it } from 'vitest';
import { StateTrustError } from '../../../extension/core/infrastructure/files/private-state';
import { parseNamedBlockNodes } from '../../../extension/core/snapshots/block-parsers';
import {
  addLayerArgs,
  commitArgs,
  createLayerArgs,
  formatNodeOf,
  isLayerNodeName,
  layerNodeName,
  parseActualSizes,
  parseGuestDisk,
  snapshotArgs,
} from '../../../extension/core/snapshots/layer-args';
import { activeFile, backingFileOf, formatLayerRecord, isLayerFile, layerPath, parseLayerRecord, type DiskLayer } from '../../../extension/core/snapshots/layer-record';
import { snapshotDescription, snapshotTable } from '../../../extension/presentation/snapshots/snapshot-words';
import { captured } from './captured';

const FOLDER = { disk: '/home/u/.local/state/qemu-lab/disks/0123456789-vm1/disk.qcow2' };
const DIR = '/home/u/.local/state/qemu-lab/disks/0123456789-vm1';
const S1: DiskLayer = { name: 's1', file: 'layer-s1.qcow2', created: '2026-12-03T04:00:00.000Z' };
const S2: DiskLayer = { name: 'before-upgrade', file: 'layer-before-upgrade.qcow2', created: '2026-12-03T05:00:00.000Z' };

describe('the record of disk-only snapshots', () => {
  it('reads back what it writes, and says which file the guest writes to and what is under each layer', () => {
    const text = formatLayerRecord([S1, S2]);
    expect(parseLayerRecord(text, 'layers.json')).toEqual([S1, S2]);
    expect(activeFile(FOLDER, [])).toBe(FOLDER.disk);
    expect(activeFile(FOLDER, [S1, S2])).toBe(`${DIR}/layer-before-upgrade.qcow2`);
    expect(backingFileOf(FOLDER, [S1, S2], 0)).toBe(FOLDER.disk);
    expect(backingFileOf(FOLDER, [S1, S2], 1)).toBe(`${DIR}/layer-s1.qcow2`);
    expect(layerPath(FOLDER, S1)).toBe(`${DIR}/layer-s1.qcow2`);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another version', '{"version": 2, "layers": []}', /version/],
    ['a file outside the folder', JSON.stringify({ version: 1, layers: [{ ...S1, file: '../../../etc/passwd' }] }), /layers\[0\]\.file is not layer-s1\.qcow2/],
    ['an absolute file', JSON.stringify({ version: 1, layers: [{ ...S1, file: '/tmp/x.qcow2' }] }), /file is not/],
    ['a name with a slash', JSON.stringify({ version: 1, layers: [{ ...S1, name: 'a/b', file: 'layer-a/b.qcow2' }] }), /name is not a snapshot name/],
    ['a name that is an option', JSON.stringify({ version: 1, layers: [{ ...S1, name: '-x', file: 'layer--x.qcow2' }] }), /name is not/],
    ['a bad date', JSON.stringify({ version: 1, layers: [{ ...S1, created: 'yesterday' }] }), /created/],
    ['a name twice', JSON.stringify({ version: 1, layers: [S1, S1] }), /twice/],
  ])('refuses a record with %s', (_what, text, problem) => {
    expect(() => parseLayerRecord(text, 'layers.json')).toThrow(StateTrustError);
    expect(() => parseLayerRecord(text, 'layers.json')).toThrow(problem);
  });
});

describe('what QEMU says of a disk guest after a disk-only snapshot (QEMU 7.2, captured)', () => {
  it('the guest writes to the new layer; the disk under it is read-only', () => {
    expect(parseGuestDisk(captured('query-block-disk-layer.json'), FOLDER.disk)).toEqual({
      device: 'qemu-lab-disk',
      node: 'qemu-lab-layer-s1',
      active: `${DIR}/layer-s1.qcow2`,
      driver: 'qcow2',
      virtualSize: 67108864,
    });
    const nodes = parseNamedBlockNodes(captured('named-block-nodes-disk-layer.json'));
    expect(formatNodeOf(nodes, `${DIR}/layer-s1.qcow2`)?.node).toBe('qemu-lab-layer-s1');
    const base = formatNodeOf(nodes, FOLDER.disk);
    expect(base?.node).toMatch(/^#block\d+$/);
    expect(base?.readOnly).toBe(true);
    expect(parseActualSizes(captured('named-block-nodes-disk-layer.json')).get(`${DIR}/layer-s1.qcow2`)).toBe(200704);
  });

  it('finds the guest disk by the files of its chain, whatever QEMU named it; a VM without it (the built-in guest) has none', () => {
    // A disk guest booted with -drive if=virtio: its disk is virtio0; the read-only seed beside it is not it.
    expect(parseGuestDisk(captured('query-block-disk-guest.json'), 'disk.qcow2')).toMatchObject({ device: 'virtio0', active: 'disk.qcow2', driver: 'qcow2' });
    expect(parseGuestDisk(captured('query-block-disk-guest.json'), 'seed.iso')).toBeUndefined();
    expect(parseGuestDisk(captured('query-block-disk-layer.json'), '/elsewhere/disk.qcow2')).toBeUndefined();
    expect(parseGuestDisk([], FOLDER.disk)).toBeUndefined();
    expect(parseGuestDisk('nonsense', FOLDER.disk)).toBeUndefined();
  });
});

describe('the commands of a disk-only snapshot', () => {
  it('make the layer without opening the locked disk, add it with no backing, snapshot the top node, commit the device into the node under it', () => {
    expect(createLayerArgs('/d/layer-s1.qcow2', '/d/disk.qcow2', 1024)).toEqual(['create', '-q', '-f', 'qcow2', '-u', '-b', '/d/disk.qcow2', '-F', 'qcow2', '/d/layer-s1.qcow2', '1024']);
    expect(addLayerArgs('qemu-lab-layer-x', '/d/layer-s1.qcow2')).toEqual({ driver: 'qcow2', 'node-name': 'qemu-lab-layer-x', file: { driver: 'file', filename: '/d/layer-s1.qcow2' }, backing: null });
    expect(snapshotArgs('#block187', 'qemu-lab-layer-x')).toEqual({ node: '#block187', overlay: 'qemu-lab-layer-x' });
    expect(commitArgs('job1', 'virtio0', '#block140')).toEqual({ 'job-id': 'job1', device: 'virtio0', 'base-node': '#block140', 'auto-dismiss': false });
  });

  it('names added layers within QEMU\'s 31 characters, and knows them again', () => {
    const name = layerNodeName(Date.parse('2099-12-31T23:59:59Z'));
    expect(name.length).toBeLessThanOrEqual(31);
    expect(isLayerNodeName(name)).toBe(true);
    expect(isLayerNodeName('#block140')).toBe(false);
  });
});

describe('how disk-only snapshots read', () => {
  it('as external, with the bytes of their layer and no VM clock', () => {
    const layer = { name: 's1', date: S1.created, vmStateBytes: 0, kind: 'disk-only' as const, vmClockSeconds: 0, complete: true, layer: { file: `${DIR}/layer-s1.qcow2`, bytes: 3 * 1024 ** 2 } };
    expect(snapshotDescription(layer)).toBe('2026-12-03 04:00:00 UTC · disk-only, external · 3 MiB layer');
    expect(snapshotTable('vm1', [layer]).split('\n')[1]).toBe('s1    2026-12-03 04:00:00 UTC  disk-only, external  3 MiB layer  —');
  });
});

describe('isLayerFile', () => {
  it('knows a layer file by the name QEMU Lab gives it, and nothing else', () => {
    expect(isLayerFile('/state/disks/abc-deb/layer-ext1.qcow2')).toBe(true);
    expect(isLayerFile('/state/disks/abc-deb/disk.qcow2')).toBe(false);
    expect(isLayerFile('/images/layer-.qcow2')).toBe(false);
    expect(isLayerFile('/images/layer-a b.qcow2')).toBe(false);
  });
});
