import { describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import type { VmSpec } from '../../../extension/core/lab/model';
import { vmSpec } from '../../support/vm-spec';
import type { BootRequest } from '../../../extension/core/machines/vm/backend';
import { chooseNetwork } from '../../../extension/core/machines/vm/boot-network';

const spec: VmSpec = vmSpec();

function request(vm: Partial<VmSpec>): BootRequest {
  return {
    key: { labPath: '/labs/qemu-lab.yaml', vmName: 'vm1', host: 'local' },
    vm: { ...spec, ...vm },
    qemuBinary: 'qemu-system-x86_64',
    accel: { accel: 'tcg', why: 'accel: tcg' },
    boot: { kind: 'kernel', kernel: '/k', initrd: '/i', append: '' },
    guestSsh: undefined,
    readyMarker: undefined,
  };
}

describe('chooseNetwork (boot step 2) on this machine', () => {
  const system = new LocalHostSystem();

  it('user networking: SSH and the benchmark servers\' ports from free loopback ports', async () => {
    const chosen = await chooseNetwork(system, request({}));
    if (chosen.attachment.kind !== 'user') throw new Error('expected user networking');
    expect(chosen.tapPlan).toBeUndefined();
    expect(chosen.forwards.map((f) => f.guestPort)).toEqual([5201, 5001]);
    expect(chosen.attachment.forwards).toEqual(chosen.forwards);
    const ports = [chosen.attachment.sshHostPort, ...chosen.forwards.map((f) => f.hostPort)];
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });

  it('user networking: the lab\'s fixed sshPort is used as it is', async () => {
    const chosen = await chooseNetwork(system, request({ sshPort: 2299 }));
    expect(chosen.attachment).toMatchObject({ kind: 'user', sshHostPort: 2299 });
  });

  it('a network the lab file does not define is refused before anything starts', async () => {
    await expect(chooseNetwork(system, request({ network: 'lan' }))).rejects.toThrow(VmError);
    await expect(chooseNetwork(system, request({ network: 'lan' }))).rejects.toThrow(/does not define/);
  });
});
