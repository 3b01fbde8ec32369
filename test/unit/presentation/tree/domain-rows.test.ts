import { describe, expect, it } from 'vitest';
import type { ExistingDomain } from '../../../../extension/core/infrastructure/libvirt/domains';
import { domainDescription, domainRows, withoutAdopted } from '../../../../extension/presentation/tree/domain-rows';

const own: ExistingDomain = { name: 'win11', state: 'running', vcpus: 2, memoryKiB: 4 * 1024 * 1024, nics: 1, disks: 2, lab: false };
const labVm: ExistingDomain = { name: 'qemu-lab-3595a67511-vm1', state: 'running', vcpus: 1, memoryKiB: 262144, nics: 1, disks: 0, lab: true };

describe('a libvirt host\'s own domains in the tree', () => {
  it('lists the user\'s domains, not the lab\'s (those are VM rows)', () => {
    expect(domainRows('lv', { domains: [labVm, own] })).toEqual([{ kind: 'domain', host: 'lv', domain: own }]);
  });

  it('leaves out the domains a lab VM adopts (they show as its VM row), and keeps a note', () => {
    const rows = domainRows('lv', { domains: [own, { ...own, name: 'db1' }] });
    expect(withoutAdopted(rows, new Set(['win11']))).toEqual([{ kind: 'domain', host: 'lv', domain: { ...own, name: 'db1' } }]);
    const note = domainRows('lv', { error: 'down' });
    expect(withoutAdopted(note, new Set(['win11']))).toEqual(note);
  });

  it('says why when they could not be read', () => {
    expect(domainRows('lv', { error: 'virsh: failed to connect' })).toEqual([{ kind: 'domain-note', host: 'lv', reason: 'virsh: failed to connect' }]);
  });

  it('describes what libvirt reports, and that no lab file has it', () => {
    expect(domainDescription(own)).toBe('running · 2 vCPUs · 4096 MiB · 1 NIC · 2 disks · not in the lab');
    expect(domainDescription({ name: 'test', state: undefined, vcpus: undefined, memoryKiB: undefined, nics: 0, disks: 0, lab: false })).toBe('unknown state · 0 NICs · 0 disks · not in the lab');
  });
});
