import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiskChain } from '../../../extension/core/machines/disk-guest/disk-chain';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/disk-guest', name), 'utf8');

describe('parseDiskChain on qemu-img 7.2 output', () => {
  it('reads an overlay over a qcow2 base, top first, with sizes and the backing file', () => {
    expect(parseDiskChain(fixture('qemu-img-info-chain-qcow2-base.json'))).toEqual([
      {
        path: 'state/disks/0123456789-web/disk.qcow2',
        format: 'qcow2',
        virtualSize: 10737418240,
        actualSize: 4460544,
        backingFile: '/tmp/hdisks-cap/images/debian-12.qcow2',
      },
      { path: '/tmp/hdisks-cap/images/debian-12.qcow2', format: 'qcow2', virtualSize: 2147483648, actualSize: 8658944, backingFile: undefined },
    ]);
  });

  it('reads a raw base', () => {
    const chain = parseDiskChain(fixture('qemu-img-info-chain-raw-base.json'));
    expect(chain?.map((f) => [f.format, f.virtualSize, f.backingFile])).toEqual([
      ['qcow2', 1073741824, '/tmp/hdisks-cap/images/base.raw'],
      ['raw', 1073741824, undefined],
    ]);
  });

  it('reads a blank disk as a chain of one', () => {
    const chain = parseDiskChain(fixture('qemu-img-info-chain-blank.json'));
    expect(chain).toHaveLength(1);
    expect(chain?.[0]).toMatchObject({ format: 'qcow2', virtualSize: 10737418240, backingFile: undefined });
  });

  it('prefers the resolved backing name over the one written in the overlay', () => {
    const json = JSON.stringify([{ filename: '/s/disk.qcow2', format: 'qcow2', 'virtual-size': 1, 'backing-filename': 'base.img', 'full-backing-filename': '/s/base.img' }]);
    expect(parseDiskChain(json)?.[0]?.backingFile).toBe('/s/base.img');
  });

  it.each([
    ['not JSON', 'qemu-img: error'],
    ['an object (info without --backing-chain)', '{"filename":"a","format":"qcow2","virtual-size":1}'],
    ['an empty array', '[]'],
    ['a negative size', '[{"filename":"a","format":"qcow2","virtual-size":-1}]'],
    ['a missing format', '[{"filename":"a","virtual-size":1}]'],
    ['a non-numeric actual size', '[{"filename":"a","format":"raw","virtual-size":1,"actual-size":"1"}]'],
    ['a non-string backing file', '[{"filename":"a","format":"qcow2","virtual-size":1,"backing-filename":3}]'],
  ])('refuses %s', (_what, json) => {
    expect(parseDiskChain(json)).toBeUndefined();
  });
});
