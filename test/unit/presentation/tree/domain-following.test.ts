import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../../extension/core/infrastructure/libvirt/domain-events';
import { domainName } from '../../../../extension/core/infrastructure/libvirt/domain-xml';
import { parseLabText } from '../../../../extension/core/lab/parse';
import { hostsToFollow, labVmsNamedBy } from '../../../../extension/presentation/tree/domain-following';

const lab = (() => {
  const result = parseLabText(
    ['hosts:', '  lv: { kind: libvirt, uri: "test:///default" }', '  lv2: { kind: libvirt, uri: "test:///default" }', 'vms:', '  vm1: { host: lv, memory: 512M }', '  vm2: { host: lv, memory: 512M }', '  vm3: { host: lv2, memory: 512M }', ''].join('\n'),
    '/l/qemu-lab.yaml',
  );
  if (result.lab === undefined) throw new Error(`lab did not parse: ${JSON.stringify(result)}`);
  return result.lab;
})();

const event = (domain: string): DomainEvent => ({ at: new Date(0), type: 'lifecycle', domain, lifecycle: { event: 'Started', reason: 'Booted' } });
const names = (nodes: readonly { vm: { name: string } }[]): string[] => nodes.map((node) => node.vm.name);

describe('which libvirt hosts the tree follows', () => {
  const libvirt = (host: string): boolean => host.startsWith('lv');
  it('the expanded libvirt hosts while the view is visible in a trusted workspace', () => {
    expect([...hostsToFollow({ visible: true, trusted: true }, ['lv', 'local', 'lv2'], libvirt)]).toEqual(['lv', 'lv2']);
  });
  it('none when the view is hidden, or in Restricted Mode', () => {
    expect(hostsToFollow({ visible: false, trusted: true }, ['lv'], libvirt).size).toBe(0);
    expect(hostsToFollow({ visible: true, trusted: false }, ['lv'], libvirt).size).toBe(0);
  });
});

describe('which lab VMs a batch of events concerns', () => {
  const onLabHost = (node: { vm: { host: string } }): string => node.vm.host;
  it('the VMs on that host whose domains the events name, nothing for the user\'s own domains', () => {
    const vm2 = domainName({ labPath: lab.path, vmName: 'vm2', host: 'lv' });
    expect(names(labVmsNamedBy([event('users-own'), event(vm2)], [lab], 'lv', onLabHost))).toEqual(['vm2']);
    expect(names(labVmsNamedBy([event('users-own')], [lab], 'lv', onLabHost))).toEqual([]);
    // vm3's domain name on another host is not vm3's here.
    expect(names(labVmsNamedBy([event(domainName({ labPath: lab.path, vmName: 'vm3', host: 'lv' }))], [lab], 'lv2', onLabHost))).toEqual([]);
  });
  it('every VM shown on the host for an empty batch (a re-read after a restart)', () => {
    expect(names(labVmsNamedBy([], [lab], 'lv', onLabHost))).toEqual(['vm1', 'vm2']);
  });
  it('a VM migrated to the host is named for that host', () => {
    const moved = (node: { vm: { name: string; host: string } }): string => (node.vm.name === 'vm3' ? 'lv' : node.vm.host);
    const vm3 = domainName({ labPath: lab.path, vmName: 'vm3', host: 'lv' });
    expect(names(labVmsNamedBy([event(vm3)], [lab], 'lv', moved))).toEqual(['vm3']);
  });
});
