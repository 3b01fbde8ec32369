import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../../extension/core/lab/parse';
import { parseDiskChain } from '../../../../extension/core/machines/disk-guest/disk-chain';
import { diskRows, sizeText } from '../../../../extension/presentation/tree/disk-rows';
import type { VmNode } from '../../../../extension/presentation/tree/nodes';

const lab = parseLabText('vms:\n  web:\n    image: debian-12.qcow2\n    disk: 10G\n', '/w/qemu-lab.yaml').lab;
if (lab === undefined) throw new Error('no model');
const web = lab.vms.get('web');
if (web === undefined) throw new Error('no web');
const node: VmNode = { kind: 'vm', lab, vm: web };

const chain = parseDiskChain(readFileSync(join(__dirname, '../../../fixtures/disk-guest/qemu-img-info-chain-qcow2-base.json'), 'utf8'));
if (chain === undefined) throw new Error('fixture not parsed');
const seed = '/s/labs/abc/seeds/web.iso';

describe('disk rows under a disk guest', () => {
  it('one row per file of the chain, top first, with size, allocation and the backing image; then cloud-init', () => {
    const rows = diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { kind: 'seed-attached', seed, labKeyLogin: false } });
    expect(rows.map((r) => [r.id, r.label, r.description, r.icon])).toEqual([
      ['disk#0', 'disk.qcow2', '10 GiB · 4.3 MiB allocated · on debian-12.qcow2', 'disk'],
      ['disk#1', 'debian-12.qcow2', '2 GiB · 8.3 MiB allocated', 'disk'],
      ['cloud-init', 'cloud-init: seed attached', 'web.iso', 'cloud'],
    ]);
    expect(rows[0]?.tooltip).toContain('backing file: /tmp/hdisks-cap/images/debian-12.qcow2');
    expect(rows[1]?.tooltip).toContain('the base image (never written)');
    expect(rows[2]?.tooltip).toContain(seed);
  });

  it('says so when the VM never booted: no disk, no seed yet', () => {
    const rows = diskRows(node, { disks: { kind: 'none', disk: '/s/disks/abc-web/disk.qcow2' }, cloudInit: { kind: 'no-seed', seed } });
    expect(rows.map((r) => [r.label, r.description, r.icon])).toEqual([
      ['No disk yet', 'made at the first boot', 'note'],
      ['cloud-init: no seed yet', 'written at the first boot', 'cloud'],
    ]);
    expect(rows[0]?.tooltip).toContain('/s/disks/abc-web/disk.qcow2');
  });

  it('says the lab key logs in, and when cloud-init is off', () => {
    expect(diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { kind: 'seed-attached', seed, labKeyLogin: true } }).at(-1)?.description).toBe('logged in with the lab key');
    expect(diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { kind: 'disabled', why: 'cloud-init-off' } }).at(-1)?.description).toBe('cloudInit: false');
    expect(diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { kind: 'disabled', why: 'blank-disk' } }).at(-1)?.description).toBe('blank disk');
  });

  it('a row saying why when a read failed, the other part still shown', () => {
    const message = 'The disk image /s/disks/abc-web/disk.qcow2 looks corrupt or cut short';
    const rows = diskRows(node, { disks: { error: message }, cloudInit: { kind: 'no-seed', seed } });
    expect(rows.map((r) => [r.label, r.description, r.icon])).toEqual([
      ['Disk unreadable', message, 'problem'],
      ['cloud-init: no seed yet', 'written at the first boot', 'cloud'],
    ]);
    expect(diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { error: 'host unreachable' } }).at(-1)).toMatchObject({ label: 'cloud-init: unknown', description: 'host unreachable', icon: 'problem' });
  });

  it('ids are unique under the VM', () => {
    const rows = diskRows(node, { disks: { kind: 'chain', files: chain }, cloudInit: { kind: 'no-seed', seed } });
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});

describe('sizeText', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [4096, '4 KiB'],
    [4460544, '4.3 MiB'],
    [1288490189, '1.2 GiB'],
    [10737418240, '10 GiB'],
    [1024 ** 5, '1024 TiB'],
  ])('%d → %s', (bytes, text) => {
    expect(sizeText(bytes)).toBe(text);
  });
});
