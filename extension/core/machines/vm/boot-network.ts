import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { guestHost, prepareTapNetwork, tapPlanFor, type TapPlan } from '../../infrastructure/network/tap-network';
import type { NetworkAttachment, PortForward } from '../../infrastructure/qemu/launch-plan';
import { USER_NETWORK } from '../../lab/vocabulary';
import type { BootRequest } from './backend';

/** Guest ports forwarded on user networking besides SSH: iperf3's 5201 and iperf 2's 5001. */
const BENCHMARK_GUEST_PORTS: readonly number[] = [5201, 5001];

/** How one boot of a VM reaches the world, as chosen on its host. */
export interface BootNetwork {
  /** What the launch plan gets. */
  readonly attachment: NetworkAttachment;
  /** The bridge network's TAP plan; undefined on user networking. */
  readonly tapPlan: TapPlan | undefined;
  /** Guest ports forwarded from loopback ports of the host (user networking; empty on a bridge). */
  readonly forwards: readonly PortForward[];
  /** The guest's own address on its bridge (no prefix), when the lab gives one. */
  readonly guestAddress: string | undefined;
}

/** Checks (or, for an isolated network, makes) the VM's bridge network; undefined on user networking. */
async function prepareNetwork(system: HostSystem, request: BootRequest): Promise<TapPlan | undefined> {
  if (request.vm.network === USER_NETWORK) return undefined;
  if (request.network === undefined || request.network.name !== request.vm.network) {
    throw new VmError(`VM "${request.vm.name}" is on network "${request.vm.network}", which the lab file does not define.`, {
      hint: 'Add it under networks: (kind: bridge with your bridge, or kind: isolated), or use network: user.',
    });
  }
  const plan = tapPlanFor(request.network, request.key);
  await prepareTapNetwork(system, plan);
  return plan;
}

/**
 * Boot step 2: the VM's network on its host. A bridge network is checked (an isolated one made)
 * and the guest gets a TAP on it; user networking forwards SSH and the benchmark servers' ports
 * (iperf3, iperf 2) from free loopback ports of the host (SSH from the lab's `sshPort` if set).
 */
export async function chooseNetwork(system: HostSystem, request: BootRequest): Promise<BootNetwork> {
  const tapPlan = await prepareNetwork(system, request);
  if (tapPlan !== undefined) {
    const guestAddress = request.vm.address !== undefined ? guestHost(request.vm.address) : undefined;
    return { attachment: tapPlan.attachment, tapPlan, forwards: [], guestAddress };
  }
  const sshHostPort = request.vm.sshPort ?? (await system.freeLoopbackPort());
  const forwards: PortForward[] = [];
  for (const guestPort of BENCHMARK_GUEST_PORTS) forwards.push({ guestPort, hostPort: await system.freeLoopbackPort() });
  return { attachment: { kind: 'user', sshHostPort, forwards }, tapPlan: undefined, forwards, guestAddress: undefined };
}
