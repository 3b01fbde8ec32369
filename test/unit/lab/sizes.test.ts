import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BANDWIDTH_PATTERN,
  DURATION_PATTERN,
  formatSize,
  parseBandwidth,
  parseDuration,
  parseSize,
  SIZE_PATTERN,
} from '../../../extension/core/lab/sizes';

const K = 1024;
const M = K * K;
const G = K * M;

interface SchemaQuantity {
  oneOf: [unknown, { pattern: string }];
}
const schema = JSON.parse(readFileSync(join(__dirname, '../../../schemas/qemu-lab.schema.json'), 'utf8')) as {
  definitions: Record<'size' | 'bandwidth' | 'duration', SchemaQuantity>;
};

describe('parseSize', () => {
  const table: [unknown, number | undefined][] = [
    ['1G', G],
    ['1024M', 1024 * M],
    ['512K', 512 * K],
    ['2T', 2 * K * G],
    ['1GiB', G],
    ['512MiB', 512 * M],
    ['1g', G],
    ['1.5G', 1.5 * G],
    ['0.5M', 512 * K],
    ['1073741824', G],
    [1073741824, G],
    [0, 0],
    ['1 GB', undefined],
    ['1GB', undefined],
    ['1.5x', undefined],
    ['1.5', undefined],
    ['G', undefined],
    ['', undefined],
    ['-1G', undefined],
    ['1Gi', undefined],
    ['1KiB/s', undefined],
    [' 1G', undefined],
    [1.5, undefined],
    [-1, undefined],
    [true, undefined],
    [null, undefined],
    ['99999999999T', undefined],
  ];
  it.each(table)('%j -> %j', (input, expected) => {
    const result = parseSize(input);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  it('says what to write instead', () => {
    expect(parseSize('1 GB')).toEqual({ ok: false, message: '"1 GB" is not a size: use 1G or 1024M' });
  });

  it('agrees with the schema on every string of the table', () => {
    expect(schema.definitions.size.oneOf[1].pattern).toBe(SIZE_PATTERN.source);
    for (const [input, expected] of table) {
      if (typeof input !== 'string' || input === '99999999999T') continue;
      expect(new RegExp(schema.definitions.size.oneOf[1].pattern).test(input), input).toBe(expected !== undefined);
    }
  });
});

describe('parseBandwidth', () => {
  it.each([
    ['1G', G],
    ['100M', 100 * M],
    ['1G/s', G],
    ['125000000', 125_000_000],
    [125000000, 125_000_000],
    ['1Gbps', undefined],
    ['1 G', undefined],
    ['fast', undefined],
  ] as [unknown, number | undefined][])('%j -> %j', (input, expected) => {
    const result = parseBandwidth(input);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  it('says bandwidths are bytes per second', () => {
    const result = parseBandwidth('1Gbps');
    expect(result.ok ? '' : result.message).toBe('"1Gbps" is not a bandwidth: use bytes per second like 100M or 1G');
  });

  it('uses the schema pattern', () => {
    expect(schema.definitions.bandwidth.oneOf[1].pattern).toBe(BANDWIDTH_PATTERN.source);
  });
});

describe('parseDuration', () => {
  it.each([
    ['300ms', 300],
    ['2s', 2000],
    ['1.5s', 1500],
    ['0.5ms', 1],
    ['300', 300],
    [300, 300],
    [0, 0],
    ['2 s', undefined],
    ['2m', undefined],
    ['1h', undefined],
    ['ms', undefined],
    [-5, undefined],
    [2.5, undefined],
  ] as [unknown, number | undefined][])('%j -> %j', (input, expected) => {
    const result = parseDuration(input);
    expect(result.ok ? result.value : undefined).toBe(expected);
  });

  it('says how to write one', () => {
    const result = parseDuration('2m');
    expect(result.ok ? '' : result.message).toBe('"2m" is not a duration: use 300ms or 2s');
  });

  it('uses the schema pattern', () => {
    expect(schema.definitions.duration.oneOf[1].pattern).toBe(DURATION_PATTERN.source);
  });
});

describe('formatSize', () => {
  it('writes binary sizes the way the lab file reads them', () => {
    expect(formatSize(1024 ** 3)).toBe('1G');
    expect(formatSize(512 * 1024 ** 2)).toBe('512M');
    expect(formatSize(1.5 * 1024 ** 3)).toBe('1.5G');
    expect(formatSize(100)).toBe('100');
  });
});
