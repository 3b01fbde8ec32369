/**
 * Names the tool gives to what it makes on a host for bridge networks: TAP devices, MAC
 * addresses and network namespaces. All are derived from the lab file and the VM or network, so
 * every run (and both ends of a migration) computes the same ones without storing them.
 */
import { createHash } from 'node:crypto';

/** Every TAP device QEMU Lab makes starts with this, so they are easy to recognise (`ip link`). */
export const TAP_PREFIX = 'qlt';
/** Every network namespace QEMU Lab makes starts with this. */
export const NAMESPACE_PREFIX = 'qlab-';
/** The bridge inside an isolated network's namespace (the namespace is ours, so one name does). */
export const ISOLATED_BRIDGE = 'qlbr0';

function digest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/**
 * The TAP device of one QEMU of a VM: unique per lab, VM, host and slot (a same-host migration
 * runs two QEMUs of one VM at once, each with its own TAP). 11 characters, within Linux's 15.
 */
export function tapName(location: { readonly labPath: string; readonly vmName: string; readonly host: string; readonly slot?: string }): string {
  return TAP_PREFIX + digest([location.labPath, location.vmName, location.host, location.slot ?? '']).slice(0, 8);
}

/**
 * The guest NIC's MAC address: locally administered, in QEMU's 52:54:00 range, the same for a VM
 * on every host (a migrated guest keeps its MAC, so the bridge and its peers keep finding it).
 */
export function macAddress(labPath: string, vmName: string): string {
  const bytes = digest([labPath, vmName]).slice(0, 6).match(/../g) ?? [];
  return ['52', '54', '00', ...bytes].join(':');
}

/** The network namespace of an isolated network of a lab: one per lab file and network. */
export function namespaceName(labPath: string, networkName: string): string {
  return NAMESPACE_PREFIX + digest([labPath, networkName]).slice(0, 10);
}
