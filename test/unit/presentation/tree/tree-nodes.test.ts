import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../../extension/core/lab/parse';
import { currentHostOf, vmNodesOn, type VmNode } from '../../../../extension/presentation/tree/nodes';

const lab = (() => {
  const result = parseLabText(
    ['hosts:', '  lab-b: { kind: ssh, address: 10.0.0.2 }', 'vms:', '  vm1: { memory: 512M }', '  vm2: { host: lab-b, memory: 512M }', ''].join('\n'),
    '/l/qemu-lab.yaml',
  );
  if (result.lab === undefined) throw new Error('lab did not parse');
  return result.lab;
})();

describe('where the tree shows a VM', () => {
  const node = (name: string): VmNode => ({ kind: 'vm', lab, vm: lab.vms.get(name) ?? (undefined as never) });

  it('under its lab host while it is stopped or runs there', () => {
    expect(currentHostOf(node('vm1'), { state: 'stopped', record: { host: 'lab-b' } })).toBe('local');
    expect(currentHostOf(node('vm1'), { state: 'running', record: { host: 'local' } })).toBe('local');
    expect(currentHostOf(node('vm1'), { state: 'running', record: undefined })).toBe('local');
  });

  it('under the host it migrated to while it runs there', () => {
    expect(currentHostOf(node('vm1'), { state: 'running', record: { host: 'lab-b' } })).toBe('lab-b');
    expect(currentHostOf(node('vm1'), { state: 'paused', record: { host: 'lab-b' } })).toBe('lab-b');
  });

  it('under its lab host when it runs on a host the lab no longer names', () => {
    expect(currentHostOf(node('vm1'), { state: 'running', record: { host: 'gone' } })).toBe('local');
  });

  it('vmNodesOn groups by the given placement', () => {
    expect(vmNodesOn('local', [lab]).map((n) => n.vm.name)).toEqual(['vm1']);
    const everythingOnB = vmNodesOn('lab-b', [lab], () => 'lab-b').map((n) => n.vm.name);
    expect(everythingOnB).toEqual(['vm1', 'vm2']);
  });
});
