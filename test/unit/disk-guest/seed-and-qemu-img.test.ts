import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildQemuArgv } from '../../../extension/core/infrastructure/qemu/argv';
import { planForVm } from '../../../extension/core/infrastructure/qemu/plan-for-vm';
import { seedFiles, type SeedInput } from '../../../extension/core/machines/disk-guest/cloud-init-seed';
import { QEMU_DEFAULT_MAC } from '../../../extension/core/infrastructure/qemu/launch-plan';
import { classifyQemuImgError, diskImageErrorFrom, parseImageInfo } from '../../../extension/core/machines/disk-guest/qemu-img';
import { DiskImageError } from '../../../extension/core/machines/disk-guest/errors';
import { vmSpec } from '../../support/vm-spec';

const input: SeedInput = {
  hostname: 'vm1',
  user: 'lab',
  authorizedKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA qemu-lab',
  hostPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
  hostPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB host',
  network: { kind: 'dhcp', mac: QEMU_DEFAULT_MAC },
};

describe('cloud-init NoCloud seed', () => {
  it('user-data creates the login user with the lab key and installs the lab host key', () => {
    const files = seedFiles(input);
    expect(files['user-data'].startsWith('#cloud-config\n')).toBe(true);
    expect(parseYaml(files['user-data'])).toEqual({
      hostname: 'vm1',
      manage_etc_hosts: true,
      users: [{ name: 'lab', shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: true, ssh_authorized_keys: [input.authorizedKey] }],
      disable_root: true,
      ssh_deletekeys: true,
      ssh_genkeytypes: [],
      ssh_keys: { ed25519_private: input.hostPrivateKey, ed25519_public: input.hostPublicKey },
    });
    expect(parseYaml(files['meta-data'])).toMatchObject({ 'local-hostname': 'vm1', 'instance-id': expect.stringMatching(/^qemu-lab-vm1-[0-9a-f]{12}$/) });
  });

  it('network-config: DHCP on user networking, the address and gateway on a bridge, matched by MAC', () => {
    expect(parseYaml(seedFiles(input)['network-config'])).toEqual({
      version: 1,
      config: [{ type: 'physical', name: 'eth0', mac_address: QEMU_DEFAULT_MAC, subnets: [{ type: 'dhcp' }] }],
    });
    const bridged = seedFiles({ ...input, network: { kind: 'static', mac: '52:54:00:aa:bb:cc', address: '10.77.0.11/24', gateway: '10.77.0.1' } });
    expect(parseYaml(bridged['network-config'])).toEqual({
      version: 1,
      config: [{ type: 'physical', name: 'eth0', mac_address: '52:54:00:aa:bb:cc', subnets: [{ type: 'static', address: '10.77.0.11/24', gateway: '10.77.0.1' }] }],
    });
  });

  it('a value full of YAML syntax stays one string, and another seed gets another instance id', () => {
    const hostile = seedFiles({ ...input, hostname: 'x\nusers: [{name: root}]\n#', user: 'a: b' });
    const parsed = parseYaml(hostile['user-data']) as Record<string, unknown>;
    expect(parsed.hostname).toBe('x\nusers: [{name: root}]\n#');
    expect((parsed.users as { name: string }[]).map((u) => u.name)).toEqual(['a: b']);
    expect(parseYaml(seedFiles({ ...input, user: 'debian' })['meta-data'])['instance-id']).not.toBe(parseYaml(seedFiles(input)['meta-data'])['instance-id']);
  });

  it('the seed is a read-only virtio disk beside the boot disk', () => {
    const files = { qmpSocket: '/r/q', watchSocket: '/r/w', serialSocket: '/r/s', serialLog: '/r/l', pidFile: '/r/p', vncSocket: undefined };
    const plan = planForVm(vmSpec({ image: '/srv/d.qcow2' }), {
      accel: 'tcg',
      boot: { kind: 'disk', image: '/state/disks/x/disk.qcow2', format: 'qcow2', seed: '/state/seeds/a,b.iso' },
      network: { kind: 'user', sshHostPort: 2222, forwards: [] },
      files,
      incoming: undefined,
    });
    const argv = buildQemuArgv(plan);
    const drives = argv.flatMap((a, i) => (argv[i - 1] === '-drive' ? [a] : []));
    expect(drives).toEqual(['file=/state/disks/x/disk.qcow2,format=qcow2,if=virtio,cache=writeback', 'file=/state/seeds/a,,b.iso,format=raw,if=virtio,readonly=on']);
  });
});

describe('qemu-img in plain words', () => {
  it('reads qemu-img info --output=json', () => {
    expect(parseImageInfo('{"virtual-size": 2147483648, "filename": "o.qcow2", "format": "qcow2", "backing-filename": "/b.raw"}')).toEqual({
      format: 'qcow2',
      virtualSize: 2147483648,
      backingFile: '/b.raw',
    });
    expect(parseImageInfo('{"format": "raw"}')).toBeUndefined();
    expect(parseImageInfo('not json')).toBeUndefined();
  });

  it.each([
    ["qemu-img: Could not open '/x.qcow2': Could not open '/x.qcow2': No such file or directory", 'missing'],
    ['qemu-img: Could not open \'/x.qcow2\': Failed to get shared "write" lock\nIs another process using the image [/x.qcow2]?', 'locked'],
    ["qemu-img: Could not open '/x.qcow2': Image is not in qcow2 format", 'wrong-format'],
    ["qemu-img: Could not open '/x.qcow2': qcow2: Image is corrupt; cannot be opened read/write", 'corrupt'],
    ["qemu-img: Could not open '/x.qcow2': Could not open '/x.qcow2': Permission denied", 'permission'],
    ['qemu-img: something new', 'other'],
  ] as const)('%s → %s', (stderr, problem) => {
    expect(classifyQemuImgError(stderr)).toBe(problem);
    const error = diskImageErrorFrom('/x.qcow2', stderr, 'lab-b');
    expect(error).toBeInstanceOf(DiskImageError);
    expect(error.message).toContain('/x.qcow2');
    expect(error.message).toContain('host "lab-b"');
    expect(error.hint).toBeTruthy();
  });
});
