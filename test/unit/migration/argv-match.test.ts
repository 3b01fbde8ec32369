import { describe, expect, it } from 'vitest';
import { argvDifference, maskHostLocal } from '../../../extension/core/migration/argv-match';
import { buildQemuArgv } from '../../../extension/core/infrastructure/qemu/argv';
import type { QemuLaunchPlan } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { runFilesIn } from '../../../extension/core/machines/vm/run-dir';
import { tapPlanFor } from '../../../extension/core/infrastructure/network/tap-network';

function plan(dir: string, overrides: Partial<QemuLaunchPlan> = {}): QemuLaunchPlan {
  return {
    name: 'vm1',
    machine: 'q35',
    accel: 'tcg',
    cpus: 1,
    memoryBytes: 512 * 1024 * 1024,
    nic: 'virtio',
    network: { kind: 'user', sshHostPort: 40000 + dir.length, forwards: [{ guestPort: 5201, hostPort: 41000 + dir.length }] },
    boot: { kind: 'kernel', kernel: '/root/.cache/qemu-lab/guest/abc/vmlinux', initrd: '/root/.cache/qemu-lab/guest/abc/initrd.cpio.gz', append: 'console=ttyS0 quiet qemulab.hostname=vm1' },
    files: runFilesIn(dir, { vnc: false }),
    incoming: undefined,
    extraArgs: [],
    ...overrides,
  };
}

const sourceDir = '/tmp/st,ate/vms/69d822cd03-vm1';
const destinationDir = '/tmp/st,ate/vms/69d822cd03-vm1~b';

describe('the destination has the same devices as the source', () => {
  it('when only host-local things differ: run directory, ports, where the guest files were placed, -incoming', () => {
    const source = buildQemuArgv(plan(sourceDir));
    const destination = buildQemuArgv(
      plan(destinationDir, {
        incoming: 'defer',
        boot: { kind: 'kernel', kernel: '/home/lab/.cache/qemu-lab/guest/abc/vmlinux', initrd: '/home/lab/.cache/qemu-lab/guest/abc/initrd.cpio.gz', append: 'console=ttyS0 quiet qemulab.hostname=vm1' },
      }),
    );
    expect(source).not.toEqual(destination);
    expect(argvDifference(maskHostLocal(source, sourceDir), maskHostLocal(destination, destinationDir))).toBeUndefined();
    expect(maskHostLocal(destination, destinationDir)).not.toContain('-incoming');
    expect(maskHostLocal(source, sourceDir).join(' ')).toContain('path=<run>/qmp.sock');
    expect(maskHostLocal(source, sourceDir).join(' ')).toContain('hostfwd=tcp:127.0.0.1:<port>-:22');
  });

  it("a disk guest whose disk was copied: the overlay's path on each host is host-local, the base image and seed are not", () => {
    const disk = (overlay: string, seed = '/root/.cache/qemu-lab/labs/abc/seeds/vm1.iso'): Partial<QemuLaunchPlan> => ({ boot: { kind: 'disk', image: overlay, format: 'qcow2', seed } });
    const sourceDisk = '/srv/st,ate/disks/69d822cd03-vm1@lab-a/disk.qcow2';
    const destinationDisk = '/srv/st,ate/disks/69d822cd03-vm1@lab-b/disk.qcow2';
    const source = buildQemuArgv(plan(sourceDir, disk(sourceDisk)));
    const destination = buildQemuArgv(plan(destinationDir, { incoming: 'defer', ...disk(destinationDisk) }));
    expect(argvDifference(maskHostLocal(source, sourceDir, sourceDisk), maskHostLocal(destination, destinationDir, destinationDisk))).toBeUndefined();
    expect(maskHostLocal(source, sourceDir, sourceDisk).join(' ')).toContain('file=<disk>,format=qcow2');
    // Unmasked, the paths differ; and a different seed is a different device.
    expect(argvDifference(maskHostLocal(source, sourceDir), maskHostLocal(destination, destinationDir))).toMatch(/@lab-a.*@lab-b/);
    const otherSeed = buildQemuArgv(plan(destinationDir, { incoming: 'defer', ...disk(destinationDisk, '/elsewhere/vm1.iso') }));
    expect(argvDifference(maskHostLocal(source, sourceDir, sourceDisk), maskHostLocal(otherSeed, destinationDir, destinationDisk))).toMatch(/vm1\.iso/);
  });

  it('and says where they differ when the lab file changed since the VM booted', () => {
    const source = maskHostLocal(buildQemuArgv(plan(sourceDir)), sourceDir);
    const bigger = maskHostLocal(buildQemuArgv(plan(destinationDir, { memoryBytes: 1024 * 1024 * 1024 })), destinationDir);
    expect(argvDifference(source, bigger)).toBe('argument 12 (after -m): the running VM has "512M", the destination would get "1024M"');
    const e1000 = maskHostLocal(buildQemuArgv(plan(destinationDir, { nic: 'e1000' })), destinationDir);
    expect(argvDifference(source, e1000)).toMatch(/virtio-net-pci.*e1000/);
    const extra = maskHostLocal(buildQemuArgv(plan(destinationDir, { extraArgs: ['-device', 'virtio-balloon'] })), destinationDir);
    expect(argvDifference(source, extra)).toMatch(/"\(nothing\)", the destination would get "-device"/);
  });
});

describe('on a bridge network', () => {
  const tapPlan = (slot: string | undefined) => tapPlanFor({ name: 'lab', kind: 'isolated', address: '10.77.0.1/24', span: undefined }, { labPath: '/l/qemu-lab.yaml', vmName: 'vm1', host: 'local', ...(slot === undefined ? {} : { slot }) });

  it('the two QEMUs of one VM differ only in their TAP, which is host-local', () => {
    const source = buildQemuArgv(plan(sourceDir, { network: tapPlan(undefined).attachment }));
    const destination = buildQemuArgv(plan(destinationDir, { network: tapPlan('b').attachment }));
    expect(source.join(' ')).not.toEqual(destination.join(' ').replaceAll(destinationDir, sourceDir));
    expect(argvDifference(maskHostLocal(source, sourceDir), maskHostLocal(destination, destinationDir))).toBeUndefined();
  });

  it('but a different MAC is a different device', () => {
    const source = buildQemuArgv(plan(sourceDir, { network: tapPlan(undefined).attachment }));
    const destination = buildQemuArgv(plan(destinationDir, { network: { ...tapPlan('b').attachment, mac: '52:54:00:00:00:01' } }));
    expect(argvDifference(maskHostLocal(source, sourceDir), maskHostLocal(destination, destinationDir))).toMatch(/mac=52:54:00:00:00:01/);
  });
});
