import { describe, expect, it } from 'vitest';
import type { LabLocation } from '../../../extension/core/lab/lab-location';
import { locateInLab } from '../../../extension/core/lab/locate';
import { scanYamlLines } from '../../../extension/core/lab/yaml-lines';

/** Locates the `‸` in `marked` (the mark is removed from the text). */
function at(marked: string): LabLocation | undefined {
  const offset = marked.indexOf('‸');
  if (offset === -1) throw new Error('no ‸ in the text');
  return locateInLab(marked.slice(0, offset) + marked.slice(offset + 1), offset);
}

/** The parts of a location a test cares about. */
function brief(location: LabLocation | undefined): unknown {
  if (location === undefined) return undefined;
  return { path: location.path.join('.'), role: location.role, key: location.key, word: location.word.text, siblings: [...location.siblings] };
}

describe('scanYamlLines', () => {
  it('finds indentation, content ends before comments, flow continuations and block scalars', () => {
    const text = 'a: 1 # c\n  b: { x: 1,\n    y: 2 }\nc: |\n  text: not a key\n\nd: "q # not a comment"\r\n';
    const lines = scanYamlLines(text);
    expect(lines.map((l) => [l.indent, text.slice(l.start + l.indent, l.contentEnd), l.continuation, l.opaque])).toEqual([
      [0, 'a: 1', false, false],
      [2, 'b: { x: 1,', false, false],
      [4, 'y: 2 }', true, false],
      [0, 'c: |', false, false],
      [2, 'text: not a key', false, true],
      [0, '', false, true],
      [0, 'd: "q # not a comment"', false, false],
      [0, '', false, false],
    ]);
  });

  it('does not let an unclosed bracket swallow the block structure below it', () => {
    const lines = scanYamlLines('vms:\n  vm1: { memory: 1G\n  vm2:\n    cpus: 2\n');
    expect(lines.map((l) => l.continuation)).toEqual([false, false, false, false, false]);
  });

  it('has one line for the empty text and splits on every newline', () => {
    expect(scanYamlLines('')).toHaveLength(1);
    expect(scanYamlLines('\n\n')).toHaveLength(3);
  });
});

describe('locateInLab', () => {
  it('a line of spaces under a VM is a key of that VM, with the keys already written', () => {
    expect(brief(at('vms:\n  vm1:\n    memory: 1G\n    ‸\n    cpus: 2\n'))).toEqual({
      path: 'vms.vm1',
      role: 'key',
      key: undefined,
      word: '',
      siblings: ['memory', 'cpus'],
    });
  });

  it('a word being typed is a key', () => {
    expect(brief(at('vms:\n  vm1:\n    accel: kvm\n    ni‸\n    memory: 1G\n'))).toEqual({
      path: 'vms.vm1',
      role: 'key',
      key: 'ni',
      word: 'ni',
      siblings: ['accel', 'memory'],
    });
  });

  it('after "nic: " is the value of nic, even with nothing after it', () => {
    expect(brief(at('vms:\n  vm1:\n    nic: ‸'))).toMatchObject({ path: 'vms.vm1', role: 'value', key: 'nic', word: '' });
    expect(brief(at('vms:\n  vm1:\n    nic: vi‸'))).toMatchObject({ path: 'vms.vm1', role: 'value', key: 'nic', word: 'vi' });
    expect(brief(at('vms:\n  vm1:\n    nic:‸'))).toMatchObject({ role: 'value', key: 'nic', word: '' });
  });

  it('a key under the cursor is the key, with a colon after it', () => {
    const location = at('vms:\n  vm1:\n    me‸mory: 1G\n');
    expect(brief(location)).toMatchObject({ path: 'vms.vm1', role: 'key', key: 'memory', word: 'memory' });
    expect(location?.colonAfter).toBe(true);
  });

  it('top level: sections', () => {
    expect(brief(at('‸'))).toMatchObject({ path: '', role: 'key', siblings: [] });
    expect(brief(at('vms:\n  vm1: {}\nexp‸'))).toMatchObject({ path: '', role: 'key', word: 'exp', siblings: ['vms'] });
    expect(brief(at('hosts:\n‸\nvms: {}\n'))).toMatchObject({ path: '', role: 'key', siblings: ['hosts', 'vms'] });
  });

  it('entry names: a key of the section', () => {
    expect(brief(at('vms:\n  vm‸1:\n    cpus: 1\n'))).toMatchObject({ path: 'vms', role: 'key', key: 'vm1' });
  });

  it('inside a flow mapping', () => {
    expect(brief(at('vms:\n  vm1: { memory: 1G, ni‸'))).toEqual({ path: 'vms.vm1', role: 'key', key: 'ni', word: 'ni', siblings: ['memory'] });
    expect(brief(at('vms:\n  vm1: { memory: 1G, nic: ‸}'))).toMatchObject({ path: 'vms.vm1', role: 'value', key: 'nic', word: '' });
    expect(brief(at('vms:\n  vm1: { memory: 1‸G }'))).toMatchObject({ role: 'value', key: 'memory', word: '1G' });
    expect(brief(at('vms:\n  vm1: { ‸ cpus: 2 }'))).toMatchObject({ role: 'key', word: '', siblings: ['cpus'] });
    expect(brief(at('{ vms: { vm1: { ac‸ } } }'))).toMatchObject({ path: 'vms.vm1', role: 'key', word: 'ac' });
  });

  it('inside a flow list: items of the key, with the others listed', () => {
    expect(brief(at('migrations:\n  m1:\n    capabilities: [multifd, ‸'))).toEqual({
      path: 'migrations.m1',
      role: 'item',
      key: 'capabilities',
      word: '',
      siblings: ['multifd'],
    });
    expect(brief(at('experiments:\n  e1: { matrix: { accel: [kvm, t‸] } }'))).toMatchObject({
      path: 'experiments.e1.matrix',
      role: 'item',
      key: 'accel',
      word: 't',
      siblings: ['kvm'],
    });
  });

  it('a flow mapping running over several lines', () => {
    const text = 'experiments:\n  e1: { vm: vm1,\n        targets: [host, ‸] }\n';
    expect(brief(at(text))).toMatchObject({ path: 'experiments.e1', role: 'item', key: 'targets', siblings: ['host'] });
  });

  it('block list items, indented or not', () => {
    expect(brief(at('migrations:\n  m1:\n    capabilities:\n      - multifd\n      - ‸\n'))).toEqual({
      path: 'migrations.m1',
      role: 'item',
      key: 'capabilities',
      word: '',
      siblings: ['multifd'],
    });
    expect(brief(at('migrations:\n  m1:\n    capabilities:\n    - xb‸\n    - postcopy\n    to: b\n'))).toMatchObject({
      path: 'migrations.m1',
      role: 'item',
      key: 'capabilities',
      word: 'xb',
      siblings: ['postcopy'],
    });
  });

  it('skips comments and says nothing inside one', () => {
    expect(brief(at('vms:\n  # a comment\n  vm1:\n    # more\n    ‸\n'))).toMatchObject({ path: 'vms.vm1', role: 'key' });
    expect(at('vms: # sec‸tion\n')).toBeUndefined();
  });

  it('says nothing inside a block scalar', () => {
    expect(at('vms:\n  vm1:\n    image: |\n      some: te‸xt\n')).toBeUndefined();
  });

  it('quoted keys and values', () => {
    expect(brief(at('vms:\n  "vm1":\n    "nic": "vi‸"\n'))).toMatchObject({ path: 'vms.vm1', role: 'value', key: 'nic' });
  });

  it('clamps positions outside the text', () => {
    expect(locateInLab('vms:\n', -5)?.path).toEqual([]);
    expect(locateInLab('vms:\n', 1000)?.role).toBe('key');
  });
});

describe('locateInLab on absurd nesting', () => {
  it('stays linear and says nothing beyond the depth a lab file may have', () => {
    const deep = '{a: '.repeat(100_000) + '}'.repeat(100_000);
    const started = Date.now();
    expect(locateInLab(deep, 50_000 * 4)).toBeUndefined();
    expect(locateInLab(deep, 2)?.role).toBe('key');
    const block = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    expect(locateInLab(block, block.length)?.path.length).toBeLessThanOrEqual(70);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
