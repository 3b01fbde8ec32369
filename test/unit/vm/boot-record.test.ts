import { describe, expect, it } from 'vitest';
import type { NetworkSpec, VmSpec } from '../../../extension/core/lab/model';
import { tapPlanFor } from '../../../extension/core/infrastructure/network/tap-network';
import type { BootRequest } from '../../../extension/core/machines/vm/backend';
import type { BootNetwork } from '../../../extension/core/machines/vm/boot-network';
import { bootRecord } from '../../../extension/core/machines/vm/boot-record';
import { runFilesIn } from '../../../extension/core/machines/vm/run-dir';
import { parseVmRecord } from '../../../extension/core/machines/vm/vm-record';
import { vmSpec } from '../../support/vm-spec';

const runDir = '/state/vms/abc-vm1';
const files = runFilesIn(runDir, { vnc: false });
const key = { labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'local' };
const spec: VmSpec = vmSpec();
const guestSsh = { privateKey: '/g/id', knownHostsFile: '/g/known_hosts', hostKeyAlias: 'qemu-lab-guest', user: 'root' };

function request(overrides: Partial<BootRequest> = {}): BootRequest {
  return { key, vm: spec, qemuBinary: '/usr/bin/qemu-system-x86_64', accel: { accel: 'tcg', why: 'accel: tcg' }, boot: { kind: 'kernel', kernel: '/k', initrd: '/i', append: '' }, guestSsh, readyMarker: 'READY', ...overrides };
}

const userNetwork: BootNetwork = {
  attachment: { kind: 'user', sshHostPort: 40022, forwards: [{ guestPort: 5201, hostPort: 40122 }] },
  tapPlan: undefined,
  forwards: [{ guestPort: 5201, hostPort: 40122 }],
  guestAddress: undefined,
};

describe('bootRecord: what a boot remembers', () => {
  it('on user networking: SSH on the forwarded loopback port, the benchmark ports by guest port', () => {
    const record = bootRecord(request(), ['-name', 'vm1'], files, userNetwork, '2026-01-01T00:00:00.000Z');
    expect(record.ssh).toEqual({ host: '127.0.0.1', port: 40022, ...guestSsh });
    expect(record.forwardedPorts).toEqual({ '5201': 40122 });
    expect(record.netns).toBeUndefined();
    expect(record.argv).toEqual(['-name', 'vm1']);
  });

  it('on an isolated network: SSH to the guest\'s own address on port 22, inside the namespace', () => {
    const network: NetworkSpec = { name: 'lab', kind: 'isolated', address: '10.77.0.1/24', span: undefined };
    const tapPlan = tapPlanFor(network, key);
    const record = bootRecord(
      request({ vm: { ...spec, network: 'lab', address: '10.77.0.11/24' }, network }),
      [],
      files,
      { attachment: tapPlan.attachment, tapPlan, forwards: [], guestAddress: '10.77.0.11' },
      '2026-01-01T00:00:00.000Z',
    );
    expect(record.ssh).toEqual({ host: '10.77.0.11', port: 22, ...guestSsh, netns: tapPlan.namespace });
    expect(record.netns).toBe(tapPlan.namespace);
    expect(record.guestAddress).toBe('10.77.0.11');
    expect(record.forwardedPorts).toEqual({});
  });

  it('on a bridge without an address for the guest: no SSH endpoint', () => {
    const network: NetworkSpec = { name: 'lan', kind: 'bridge', bridge: 'br0', span: undefined };
    const tapPlan = tapPlanFor(network, key);
    const record = bootRecord(request({ vm: { ...spec, network: 'lan' }, network }), [], files, { attachment: tapPlan.attachment, tapPlan, forwards: [], guestAddress: undefined }, 'now');
    expect(record.ssh).toBeUndefined();
  });

  it('a guest without SSH credentials has no SSH endpoint', () => {
    expect(bootRecord(request({ guestSsh: undefined }), [], files, userNetwork, 'now').ssh).toBeUndefined();
  });

  it('is a record the backend reads back as it was written (the record\'s own path aside)', () => {
    const record = bootRecord(request({ key: { ...key, slot: 'in' } }), ['-name', 'vm1'], files, userNetwork, '2026-01-01T00:00:00.000Z');
    const { record: _ownPath, ...qemuFiles } = files;
    expect(parseVmRecord(JSON.stringify(record, null, 2) + '\n', { where: 'vm.json', runDir })).toEqual({ ...record, files: qemuFiles });
  });
});
