import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { primaryDisk, secondaryDisk } from '../../../extension/core/colo/disk-args';
import { secondaryNetFilters } from '../../../extension/core/colo/secondary-args';
import { buildQemuArgv, diskArgs, netFilterArgs } from '../../../extension/core/infrastructure/qemu/argv';
import type { RunFiles } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { diskBootMedia, diskFormatOf, planForVm, type PlanHostFacts } from '../../../extension/core/infrastructure/qemu/plan-for-vm';
import type { VmSpec } from '../../../extension/core/lab/model';
import { vmSpec } from '../../support/vm-spec';
import { qemuArgvFor } from '../../../extension/server/qemu-options';

const fixtures = join(__dirname, '../../fixtures/argv');
const files: RunFiles = {
  qmpSocket: '/run/ql/vm1/qmp.sock',
  watchSocket: '/run/ql/vm1/watch.sock',
  serialSocket: '/run/ql/vm1/serial.sock',
  serialLog: '/run/ql/vm1/serial.log',
  pidFile: '/run/ql/vm1/qemu.pid',
  vncSocket: undefined,
};

const vm = (overrides: Partial<VmSpec>): VmSpec => vmSpec(overrides);

const userFacts: PlanHostFacts = {
  accel: 'tcg',
  boot: { kind: 'kernel', kernel: '/k', initrd: '/i', append: 'console=ttyS0' },
  network: { kind: 'user', sshHostPort: 40025, forwards: [] },
  files,
};

function storedArgv(name: string): string {
  return readFileSync(join(fixtures, `${name}.args`), 'utf8');
}

describe('planForVm: a lab VM and the host facts of one boot become a plan', () => {
  it('gives the stored argv of a disk VM on a bridge (keys from the spec, the rest from the host)', () => {
    const spec = vm({ name: 'web-1', machine: 'pc', memoryBytes: 512 * 1024 ** 2, image: '/images/debian,12.qcow2', network: 'lan', extraArgs: ['-device', 'virtio-balloon-pci'] });
    const plan = planForVm(spec, { accel: 'kvm', boot: diskBootMedia(spec.image), network: { kind: 'tap', tapName: 'qltap0', mac: '52:54:00:12:34:56' }, files });
    expect(buildQemuArgv(plan).join('\n') + '\n').toBe(storedArgv('disk-pc-tap-bridge'));
  });

  it('gives the stored argv of a migration destination', () => {
    expect(buildQemuArgv(planForVm(vm({}), { ...userFacts, incoming: 'defer' })).join('\n') + '\n').toBe(storedArgv('migration-destination'));
  });

  it('takes the accelerator in effect from the host, never the lab\'s auto', () => {
    expect(planForVm(vm({ accel: 'auto' }), { ...userFacts, accel: 'kvm' }).accel).toBe('kvm');
  });

  it('gives a VM with `vnc: true` a VGA screen on its run directory\'s VNC socket, and no TCP port', () => {
    const vncFiles: RunFiles = { ...files, vncSocket: '/run/ql/vm1/vnc.sock' };
    const plan = planForVm(vm({ vnc: true }), { ...userFacts, files: vncFiles });
    expect(plan.display).toEqual({ device: 'VGA', vncSocket: '/run/ql/vm1/vnc.sock' });
    const argv = buildQemuArgv(plan);
    expect(argv.slice(argv.indexOf('-vnc') - 2, argv.indexOf('-vnc') + 2)).toEqual(['-device', 'VGA', '-vnc', 'unix:/run/ql/vm1/vnc.sock']);
    expect(argv.filter((a) => a === '-vnc')).toHaveLength(1);
    expect(argv[argv.indexOf('-display') + 1]).toBe('none');
  });

  it('gives a VM without `vnc` no screen: no display device, no VNC server', () => {
    const argv = buildQemuArgv(planForVm(vm({}), userFacts));
    expect(planForVm(vm({}), userFacts).display).toBeUndefined();
    expect(argv).not.toContain('-vnc');
    expect(argv).not.toContain('VGA');
  });

  it('adds no disks or filters of its own', () => {
    const plan = planForVm(vm({}), { ...userFacts, added: { disks: [] } });
    expect(plan.disks).toBeUndefined();
    expect(plan.netFilters).toBeUndefined();
  });
});

describe('qcow2 or raw: decided once', () => {
  it.each([
    ['/images/debian.qcow2', 'qcow2'],
    ['/images/debian.img', 'raw'],
    ['/images/debian.raw', 'raw'],
    ['/images/a.qcow2/disk', 'raw'],
    ['relative/disk.qcow2', 'qcow2'],
  ] as const)('%s is %s', (path, format) => {
    expect(diskFormatOf(path)).toBe(format);
    expect(diskBootMedia(path)).toEqual({ kind: 'disk', image: path, format });
  });

  it('the hover preview shows the format a boot would use', () => {
    for (const image of ['/images/debian.qcow2', '/images/debian.img', '/images/.qcow2']) {
      const drive = qemuArgvFor(vm({ image }), 'tcg').find((arg) => arg.startsWith('file='));
      expect(drive).toContain(`format=${diskFormatOf(image)},`);
    }
  });
});

describe('COLO parts and the user\'s extraArgs', () => {
  const proxy = { primaryAddress: '127.0.0.1', ports: { mirror: 9003, secondaryIn: 9004, primaryIn: 9001, compareOut: 9005 }, netdev: 'net0' };
  const images = { parent: '/run/p.qcow2', active: '/run/a.qcow2', hidden: '/run/h.qcow2' };
  const secondaryParts = { netFilters: secondaryNetFilters(proxy, 8), disks: [secondaryDisk(images)] };

  it('a secondary without extraArgs gets the argv it always had: the plain argv, then its filters, then its disk', () => {
    const base = buildQemuArgv(planForVm(vm({}), { ...userFacts, incoming: 'defer' }));
    const colo = buildQemuArgv(planForVm(vm({}), { ...userFacts, incoming: 'defer', added: secondaryParts }));
    expect(colo).toEqual([...base, ...netFilterArgs(secondaryParts.netFilters), ...diskArgs(secondaryParts.disks[0]!)]);
    expect(colo.indexOf('-incoming')).toBeLessThan(colo.indexOf('filter-rewriter,id=colo-rew0,netdev=net0,queue=all'));
  });

  it('a primary gets its quorum disk after the plain argv', () => {
    const disk = primaryDisk('/labs/data.img', diskFormatOf('/labs/data.img'));
    const argv = buildQemuArgv(planForVm(vm({}), { ...userFacts, added: { disks: [disk] } }));
    expect(argv.slice(-4)).toEqual([
      '-drive',
      'if=none,id=colo-disk0,driver=quorum,read-pattern=fifo,vote-threshold=1,children.0.file.filename=/labs/data.img,children.0.driver=raw',
      '-device',
      'virtio-blk-pci,drive=colo-disk0',
    ]);
  });

  it('a state disk is a block node no device shows the guest, its path with commas doubled; none without one', () => {
    const argv = buildQemuArgv(planForVm(vm({}), { ...userFacts, stateDisk: '/run/ql/vm 1,x/state.qcow2' }));
    const at = argv.indexOf('-blockdev');
    expect(argv[at + 1]).toBe('driver=qcow2,node-name=qemu-lab-state,file.driver=file,file.filename=/run/ql/vm 1,,x/state.qcow2');
    expect(argv.filter((arg) => arg === '-blockdev' || arg.includes('drive=qemu-lab-state'))).toEqual(['-blockdev']);
    expect(buildQemuArgv(planForVm(vm({}), userFacts))).not.toContain('-blockdev');
  });

  it('the user\'s extraArgs come last, as written, and are only theirs', () => {
    const extraArgs = ['-device', 'virtio-balloon-pci', '-drive', "file=/x,y $(z)"];
    const plan = planForVm(vm({ extraArgs }), { ...userFacts, incoming: 'defer', added: secondaryParts });
    const argv = buildQemuArgv(plan);
    expect(plan.extraArgs).toEqual(extraArgs);
    expect(argv.slice(-extraArgs.length)).toEqual(extraArgs);
    expect(argv.slice(0, -extraArgs.length).filter((arg) => arg.includes('colo-'))).toHaveLength(8);
  });
});
