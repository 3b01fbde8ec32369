// A disk guest on a libvirt host does not migrate yet: the refusal comes in begin, before any
// virsh call (the hosts' URIs are libvirt's test driver, which has no such domain), and says
// what to do instead.
import { describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { libvirtUriOf } from '../../../extension/core/infrastructure/hosts/host-reach';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { parseLabText } from '../../../extension/core/lab/parse';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { MigrationError } from '../../../extension/core/migration/errors';
import { migrateVm } from '../../../extension/core/migration/migrate';

describe('migrating a disk guest between two libvirt hosts', () => {
  it('is refused in begin, before anything runs, saying where it can migrate with its disk', async () => {
    const text = ['hosts:', '  lv1: { kind: libvirt, uri: "test:///default" }', '  lv2: { kind: libvirt, uri: "test:///default" }', 'vms:', '  deb: { host: lv1, image: /images/debian-12.qcow2 }', ''].join('\n');
    const { lab } = parseLabText(text, '/labs/qemu-lab.yaml');
    if (lab === undefined) throw new Error('the lab did not parse');
    const pool = new HostPool({});
    const phases: string[] = [];
    try {
      const deps = vmDependencies({ env: process.env, stateRoot: '/nonexistent-state', systemFor: labHostSystems(lab, pool), libvirtUriFor: (host) => libvirtUriOf(lab.hosts.get(host)) });
      const outcome = await migrateVm({ lab, vmName: 'deb', to: 'lv2', settings: { capabilities: [] } }, deps, { onPhase: (phase) => phases.push(phase) }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(MigrationError);
      const error = outcome as MigrationError;
      expect(error.phase).toBe('begin');
      expect(error.message).toBe(
        `VM "deb" boots a disk image, and a disk guest on a libvirt host does not migrate yet: its disk is an overlay in QEMU Lab's state on host "lv1", and QEMU Lab does not have libvirt copy it with the migration yet.`,
      );
      expect(error.hint).toContain('keeps running on "lv1"');
      expect(error.hint).toContain('run it on local or SSH hosts (kind: local or kind: ssh), where qemu-lab migrate copies its disk (--storage copy)');
      expect(phases).toEqual(['begin', 'failed']);
    } finally {
      await pool.dispose();
    }
  });
});
