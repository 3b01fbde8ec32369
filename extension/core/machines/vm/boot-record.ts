import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { BootRequest } from './backend';
import type { BootNetwork } from './boot-network';
import type { VmRunFiles } from './run-dir';
import type { VmRecord } from './vm-record';

/** How the host reaches the guest's SSH server: a forwarded loopback port, or the guest's own address on its bridge. */
function guestSshEndpoint(request: BootRequest, network: BootNetwork): VmRecord['ssh'] {
  if (request.guestSsh === undefined) return undefined;
  const { attachment, tapPlan, guestAddress } = network;
  if (attachment.kind === 'user') return { host: '127.0.0.1', port: attachment.sshHostPort, ...request.guestSsh };
  if (guestAddress === undefined) return undefined;
  return { host: guestAddress, port: 22, ...request.guestSsh, ...(tapPlan?.namespace === undefined ? {} : { netns: tapPlan.namespace }) };
}

/**
 * Boot step 4 (after the plan): what QEMU Lab remembers of this boot — the argv it runs, how
 * to reach the guest, the run files. Pure.
 */
export function bootRecord(request: BootRequest, argv: readonly string[], files: VmRunFiles, network: BootNetwork, startedAt: string): VmRecord {
  const { key } = request;
  const namespace = network.tapPlan?.namespace;
  return {
    version: 1,
    labPath: key.labPath,
    vmName: key.vmName,
    host: key.host,
    ...(key.slot === undefined ? {} : { slot: key.slot }),
    qemuBinary: request.qemuBinary,
    argv,
    accel: request.accel.accel,
    accelWhy: request.accel.why,
    nic: request.vm.nic,
    network: request.vm.network,
    ...(namespace === undefined ? {} : { netns: namespace }),
    ...(network.guestAddress === undefined ? {} : { guestAddress: network.guestAddress }),
    ssh: guestSshEndpoint(request, network),
    forwardedPorts: Object.fromEntries(network.forwards.map((f) => [String(f.guestPort), f.hostPort])),
    files,
    readyMarker: request.readyMarker,
    startedAt,
  };
}

/** Writes a VM's record (`vm.json`) at `path`, atomically: a reader sees the old one or the new one. */
export async function writeVmRecord(system: HostSystem, path: string, record: VmRecord): Promise<void> {
  await system.writeTextAtomically(path, JSON.stringify(record, null, 2) + '\n');
}
