import { describe, expect, it } from 'vitest';
import { virshFailureHint } from '../../../extension/core/infrastructure/libvirt/virsh-hints';

describe('virshFailureHint', () => {
  it("names qemu.conf's user when libvirt's QEMU cannot reach a VM's disk in QEMU Lab's private state", () => {
    // What `virsh start` said on libvirtd 9.0 with user = "libvirt-qemu", group = "kvm", dynamic_ownership = 1 (a stock qemu.conf's).
    const said =
      "Failed to start domain 'qemu-lab-deb-c0141f9a0b' Cannot access storage file '/tmp/qemu-lab-it-h8jddB/state/disks/1a7de8f781-deb@lv/disk.qcow2' (as uid:104, gid:107): Permission denied";
    const hint = virshFailureHint(said);
    expect(hint).toContain('libvirtd runs QEMU as uid 104 (gid 107)');
    expect(hint).toContain('cannot reach /tmp/qemu-lab-it-h8jddB/state/disks/1a7de8f781-deb@lv/disk.qcow2');
    expect(hint).toContain('set user = "root" and group = "root" in /etc/libvirt/qemu.conf');
  });

  it('says to check the daemon and the access to it otherwise', () => {
    expect(virshFailureHint('failed to connect to the hypervisor')).toBe('Check that libvirtd runs there and that this user may use it (virsh -c URI list).');
  });
});
