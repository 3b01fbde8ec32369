import { describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import type { GuestArtifacts } from '../../../extension/core/machines/guest-image/build';
import { guestBootFor } from '../../../extension/core/machines/vm/up';
import { vmSpec } from '../../support/vm-spec';

// A guest as the builder describes it (the files are not read on this machine's host).
const guest: GuestArtifacts = {
  dir: '/cache/guest/h',
  hash: 'h',
  kernel: '/cache/guest/h/vmlinuz',
  vmlinux: '/cache/guest/h/vmlinux',
  initrd: '/cache/guest/h/initrd.cpio.gz',
  kernelVersion: '6.1.0-57-amd64',
  kernelPackage: 'linux-image-6.1.0-57-amd64 6.1.192-3',
  sshPrivateKey: '/cache/guest/h/id_ed25519',
  knownHostsFile: '/cache/guest/h/known_hosts',
  hostKeyAlias: 'qemu-lab-guest',
  readyMarker: 'QEMU-LAB-READY',
  builtAt: '2026-12-02T00:00:00.000Z',
  buildSeconds: 7,
  fromCache: true,
};
const deps = { guest: async () => guest, env: process.env };

describe('the built-in guest\'s kernel, with and without a screen', () => {
  it('boots the ELF vmlinux (PVH, faster under TCG) when the VM has no screen', async () => {
    const boot = await guestBootFor(vmSpec({ vnc: false }), '/lab/qemu-lab.yaml', new LocalHostSystem(), deps);
    expect(boot.boot).toMatchObject({ kind: 'kernel', kernel: '/cache/guest/h/vmlinux' });
  });

  it('boots the bzImage when it has one: PVH skips the setup that records the VGA text mode the console needs', async () => {
    const boot = await guestBootFor(vmSpec({ vnc: true }), '/lab/qemu-lab.yaml', new LocalHostSystem(), deps);
    expect(boot.boot).toMatchObject({ kind: 'kernel', kernel: '/cache/guest/h/vmlinuz', initrd: '/cache/guest/h/initrd.cpio.gz' });
  });
});
