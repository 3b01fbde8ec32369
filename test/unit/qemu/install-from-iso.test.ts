import { describe, expect, it } from 'vitest';
import { buildQemuArgv } from '../../../extension/core/infrastructure/qemu/argv';
import type { BootMedia, RunFiles } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { planForVm, type PlanHostFacts } from '../../../extension/core/infrastructure/qemu/plan-for-vm';
import { parseMapHasData } from '../../../extension/core/machines/disk-guest/qemu-img';
import { qemuOptionsFor } from '../../../extension/server/qemu-options';
import { vmSpec } from '../../support/vm-spec';

const files: RunFiles = {
  qmpSocket: '/run/ql/i/qmp.sock',
  watchSocket: '/run/ql/i/watch.sock',
  serialSocket: '/run/ql/i/serial.sock',
  serialLog: '/run/ql/i/serial.log',
  pidFile: '/run/ql/i/qemu.pid',
  vncSocket: undefined,
};
const disk = (extra: Partial<Extract<BootMedia, { kind: 'disk' }>> = {}): BootMedia => ({ kind: 'disk', image: '/s/disk.qcow2', format: 'qcow2', ...extra });
const facts = (boot: BootMedia, accel: 'kvm' | 'tcg' = 'tcg'): PlanHostFacts => ({ accel, boot, network: { kind: 'user', sshHostPort: 40000, forwards: [] }, files });
const argvOf = (boot: BootMedia, machine: 'q35' | 'pc' = 'q35', accel: 'kvm' | 'tcg' = 'tcg'): string[] => buildQemuArgv(planForVm(vmSpec({ image: 'blank', machine }), facts(boot, accel)));

/** The value after each occurrence of `flag`. */
const valuesOf = (argv: readonly string[], flag: string): string[] => argv.flatMap((a, i) => (a === flag ? [argv[i + 1] ?? ''] : []));

describe('the launch plan of an install from an ISO', () => {
  it('boot: cdrom lists the ISO first and the disk after it, on both machine types, under KVM and TCG', () => {
    for (const machine of ['q35', 'pc'] as const) {
      for (const accel of ['kvm', 'tcg'] as const) {
        const argv = argvOf(disk({ cdrom: { iso: '/isos/d.iso', boot: 'cdrom' } }), machine, accel);
        expect(valuesOf(argv, '-device')).toContain('ide-cd,drive=qemu-lab-cdrom,bus=ide.0,bootindex=0');
        expect(valuesOf(argv, '-device')).toContain('virtio-blk-pci,drive=qemu-lab-disk,bootindex=1');
        expect(valuesOf(argv, '-drive')).toContain('if=none,id=qemu-lab-cdrom,file=/isos/d.iso,format=raw,media=cdrom,readonly=on');
        expect(argv).not.toContain('-boot');
        expect(valuesOf(argv, '-accel')).toEqual([accel]);
        expect(valuesOf(argv, '-cpu')).toEqual([accel === 'kvm' ? 'host' : 'max']);
      }
    }
  });

  it('boot: disk lists only the disk and tells the firmware to stop there: the ISO never boots', () => {
    const argv = argvOf(disk({ cdrom: { iso: '/isos/d.iso', boot: 'disk' } }), 'pc', 'kvm');
    expect(valuesOf(argv, '-device')).toContain('ide-cd,drive=qemu-lab-cdrom,bus=ide.0');
    expect(valuesOf(argv, '-device')).toContain('virtio-blk-pci,drive=qemu-lab-disk,bootindex=0');
    expect(valuesOf(argv, '-boot')).toEqual(['strict=on']);
    expect(argv.filter((a) => a.includes('bootindex='))).toHaveLength(1);
  });

  it('a blank disk without a CD-ROM is an ordinary virtio drive, as a disk image always was', () => {
    expect(valuesOf(argvOf(disk()), '-drive')).toEqual(['file=/s/disk.qcow2,format=qcow2,if=virtio,cache=writeback']);
  });

  it('an ISO path with a comma cannot add an option', () => {
    const argv = argvOf(disk({ cdrom: { iso: '/isos/a,readonly=off.iso', boot: 'cdrom' } }));
    expect(valuesOf(argv, '-drive')).toContain('if=none,id=qemu-lab-cdrom,file=/isos/a,,readonly=off.iso,format=raw,media=cdrom,readonly=on');
  });

  it('the hover shows what cdrom: and boot: become, from the same plan (a blank disk boots the ISO first)', () => {
    const vm = vmSpec({ image: 'blank', diskBytes: 10 * 1024 ** 3, cdrom: 'd.iso' });
    expect(qemuOptionsFor('cdrom', vm, 'tcg')).toBe('-drive if=none,id=qemu-lab-cdrom,file=d.iso,format=raw,media=cdrom,readonly=on -device ide-cd,drive=qemu-lab-cdrom,bus=ide.0,bootindex=0');
    expect(qemuOptionsFor('boot', vm, 'tcg')).toBe('-device virtio-blk-pci,drive=qemu-lab-disk,bootindex=1 -device ide-cd,drive=qemu-lab-cdrom,bus=ide.0,bootindex=0');
    expect(qemuOptionsFor('boot', { ...vm, boot: 'disk' }, 'kvm')).toBe('-device virtio-blk-pci,drive=qemu-lab-disk,bootindex=0 -boot strict=on');
    expect(qemuOptionsFor('boot', vmSpec({ image: '/i.qcow2', cdrom: 'd.iso' }), 'kvm')).toContain('-boot strict=on');
    expect(qemuOptionsFor('cdrom', vmSpec({ image: '/i.qcow2' }), 'kvm')).toBeUndefined();
  });
});

describe('whether a blank disk was ever written (qemu-img map)', () => {
  it('reads qemu-img map --output=json: no data extent means blank', () => {
    expect(parseMapHasData('[{ "start": 0, "length": 10737418240, "depth": 0, "present": false, "zero": true, "data": false}]')).toBe(false);
    expect(parseMapHasData('[{ "start": 0, "length": 65536, "depth": 0, "present": true, "zero": false, "data": true, "offset": 327680},\n{ "start": 65536, "length": 10737352704, "depth": 0, "present": false, "zero": true, "data": false}]')).toBe(true);
    expect(parseMapHasData('[]')).toBe(false);
    expect(parseMapHasData('{"data": true}')).toBeUndefined();
    expect(parseMapHasData('[{"start": 0}]')).toBeUndefined();
    expect(parseMapHasData('not json')).toBeUndefined();
  });
});
