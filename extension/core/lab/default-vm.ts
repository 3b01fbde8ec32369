/** A VM with every key at its default: what a lab file's VM is before its own keys are read. */
import type { VmSpec } from './model';
import { parseSize } from './sizes';
import { VM_DEFAULTS } from './vocabulary';

/** A VM named `name` with every key at its default ({@link VM_DEFAULTS}). */
export function defaultVm(name: string): VmSpec {
  const memory = parseSize(VM_DEFAULTS.memory);
  return {
    name,
    host: VM_DEFAULTS.host,
    image: VM_DEFAULTS.image,
    cpus: VM_DEFAULTS.cpus,
    memoryBytes: memory.ok ? memory.value : 1024 ** 3,
    accel: VM_DEFAULTS.accel,
    machine: VM_DEFAULTS.machine,
    nic: VM_DEFAULTS.nic,
    network: VM_DEFAULTS.network,
    address: undefined,
    gateway: undefined,
    sshPort: undefined,
    vnc: VM_DEFAULTS.vnc,
    extraArgs: [...VM_DEFAULTS.extraArgs],
    span: undefined,
  };
}
