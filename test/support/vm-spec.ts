import type { VmSpec } from '../../extension/core/lab/model';

/** A lab VM as the parser gives it for `vm1: {}` (every key at its default), with `overrides`. */
export function vmSpec(overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    name: 'vm1',
    host: 'local',
    image: 'builtin',
    cpus: 1,
    memoryBytes: 1024 ** 3,
    accel: 'auto',
    machine: 'q35',
    nic: 'virtio',
    network: 'user',
    address: undefined,
    gateway: undefined,
    sshPort: undefined,
    vnc: false,
    extraArgs: [],
    span: undefined,
    ...overrides,
  };
}
