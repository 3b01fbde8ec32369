import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { describeDomain, listDomains } from '../../../extension/core/infrastructure/libvirt/domains';
import { Virsh } from '../../../extension/core/infrastructure/libvirt/virsh';
import { parseDomstats, summarizeDomstats } from '../../../extension/core/infrastructure/libvirt/virsh-parsers';

describe("a libvirt host's existing domains", () => {
  it("lists the domains of libvirt's test driver through the real virsh (no daemon needed)", async () => {
    const domains = await listDomains(new Virsh(new LocalHostSystem(), 'test:///default', 't'));
    expect(domains).toEqual([{ name: 'test', state: 'running', vcpus: undefined, memoryKiB: undefined, nics: 0, disks: 0, lab: false }]);
    expect(domains.map(describeDomain)).toEqual(['test  running, 0 NICs, 0 disks']);
  });

  it('describes a lab VM from real domstats output', () => {
    const [stats] = parseDomstats(readFileSync(join(__dirname, '../../fixtures/libvirt/virsh/domstats-running.txt'), 'utf8'));
    if (stats === undefined) throw new Error('no domain in the fixture');
    expect(describeDomain({ ...summarizeDomstats(stats), lab: true })).toBe('qemu-lab-vm1-26ea85f61b  running, 1 vCPU, 512 MiB, 1 NIC, 0 disks (a lab VM)');
  });

  it('says which host failed and how when virsh cannot connect', async () => {
    await expect(listDomains(new Virsh(new LocalHostSystem(), 'qemu+unix:///system?socket=/nonexistent/sock', 'lv'))).rejects.toThrow(/virsh domstats on host "lv" .* failed: .*nonexistent/);
  });
});
