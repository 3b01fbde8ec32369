/**
 * Bridge networks on a host: the TAP device of each VM (QEMU creates it, so it goes away when
 * QEMU exits; we then put it on the bridge), and for isolated networks the network namespace
 * with its bridge, made on first use and removed when nothing runs in it any more.
 */
import { NetworkError } from '../../errors';
import type { HostSystem } from '../hosts/system/host-system';
import type { NetworkSpec } from '../../lab/model';
import type { NetworkAttachment } from '../qemu/launch-plan';
import { addressPart } from './ipv4';
import { ISOLATED_BRIDGE, macAddress, namespaceName, tapName } from './names';
import { inNetworkNamespace } from './netns-system';
import { sleep } from '../support/sleep';

/** How one QEMU of a VM joins a bridge network on its host. */
export interface TapPlan {
  readonly network: NetworkSpec;
  /** What the argv builder needs: the TAP name QEMU creates and the guest NIC's MAC. */
  readonly attachment: Extract<NetworkAttachment, { kind: 'tap' }>;
  /** The bridge the TAP goes on (inside `namespace` when set). */
  readonly bridge: string;
  /** The isolated network's namespace, where QEMU and the host side of the network run. */
  readonly namespace: string | undefined;
}

/** Where a VM's QEMU runs, for naming its TAP. */
export interface TapLocation {
  readonly labPath: string;
  readonly vmName: string;
  readonly host: string;
  readonly slot?: string;
}

/** The TAP plan of a VM's QEMU at `location` on `network`. Pure. */
export function tapPlanFor(network: NetworkSpec, location: TapLocation): TapPlan {
  const attachment = { kind: 'tap', tapName: tapName(location), mac: macAddress(location.labPath, location.vmName) } as const;
  if (network.kind === 'bridge') return { network, attachment, bridge: network.bridge, namespace: undefined };
  return { network, attachment, bridge: ISOLATED_BRIDGE, namespace: namespaceName(location.labPath, network.name) };
}

/** The gateway a guest on `network` uses when the lab gives none: the isolated network's host side. */
export function defaultGateway(network: NetworkSpec): string | undefined {
  return network.kind === 'isolated' ? addressPart(network.address) : undefined;
}

/** The host as seen by what must run on the network's side: inside the namespace of an isolated network. */
export function networkSide(system: HostSystem, namespace: string | undefined): HostSystem {
  return namespace === undefined ? system : inNetworkNamespace(system, namespace);
}

async function ip(system: HostSystem, args: readonly string[], what: string): Promise<string> {
  const result = await system.run('ip', args, { check: false, timeoutMs: 15_000, missingHint: 'Install iproute2: apt-get install iproute2' });
  if (result.exitCode === 0) return result.stdout;
  const said = result.stderr.trim();
  const permission = /Operation not permitted|Permission denied/i.test(said);
  throw new NetworkError(`Could not ${what} on host "${system.name}": ${said || `ip ${args.join(' ')} exited with ${result.exitCode ?? result.signal}`}`, {
    hint: permission
      ? 'Bridge networks need root (or CAP_NET_ADMIN) on the VM\'s host: run QEMU Lab as root there, or use network: user.'
      : 'Check the network in the lab file; `ip link` on the host shows its bridges.',
  });
}

async function namespaces(system: HostSystem): Promise<Set<string>> {
  const listed = await ip(system, ['netns', 'list'], 'list network namespaces');
  // `ip netns list` prints "name" or "name (id: N)" per line.
  return new Set(listed.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '').filter((name) => name !== ''));
}

async function isBridge(system: HostSystem, namespace: string | undefined, bridge: string): Promise<boolean> {
  const result = await system.run('ip', [...(namespace === undefined ? [] : ['-n', namespace]), '-d', '-o', 'link', 'show', 'dev', bridge], {
    check: false,
    timeoutMs: 15_000,
  });
  return result.exitCode === 0 && /\bbridge\b/.test(result.stdout);
}

/**
 * Makes sure the network a TAP plan joins is there before QEMU starts: a user's bridge must
 * exist (we never create or change it); an isolated network's namespace and bridge are made if
 * missing (two VMs booting at once may both try: the loser finds it made).
 */
export async function prepareTapNetwork(system: HostSystem, plan: TapPlan): Promise<void> {
  const { network, namespace } = plan;
  if (network.kind === 'bridge' || namespace === undefined) {
    if (!(await isBridge(system, undefined, plan.bridge))) {
      throw new NetworkError(`Network "${network.name}" uses bridge ${plan.bridge}, which is not a bridge on host "${system.name}".`, {
        hint: `Create it there (ip link add ${plan.bridge} type bridge; ip link set ${plan.bridge} up), fix "bridge:" in the lab file, or use kind: isolated.`,
      });
    }
    return;
  }
  if (!(await namespaces(system)).has(namespace)) {
    const made = await system.run('ip', ['netns', 'add', namespace], { check: false, timeoutMs: 15_000 });
    if (made.exitCode !== 0 && !(await namespaces(system)).has(namespace)) {
      await ip(system, ['netns', 'add', namespace], `make network namespace ${namespace} for network "${network.name}"`);
    }
  }
  const inside = ['-n', namespace];
  await ip(system, [...inside, 'link', 'set', 'lo', 'up'], `bring up loopback in ${namespace}`);
  if (!(await isBridge(system, namespace, plan.bridge))) {
    const added = await system.run('ip', [...inside, 'link', 'add', plan.bridge, 'type', 'bridge'], { check: false, timeoutMs: 15_000 });
    if (added.exitCode !== 0 && !(await isBridge(system, namespace, plan.bridge))) {
      await ip(system, [...inside, 'link', 'add', plan.bridge, 'type', 'bridge'], `make bridge ${plan.bridge} in ${namespace}`);
    }
  }
  await ip(system, [...inside, 'addr', 'replace', network.address, 'dev', plan.bridge], `give ${plan.bridge} the address ${network.address}`);
  await ip(system, [...inside, 'link', 'set', plan.bridge, 'up'], `bring up ${plan.bridge}`);
}

/** Puts the TAP QEMU created on the bridge and brings it up (QEMU creates it down and unbridged). */
export async function connectTap(system: HostSystem, plan: TapPlan): Promise<void> {
  const inside = plan.namespace === undefined ? [] : ['-n', plan.namespace];
  const tap = plan.attachment.tapName;
  // Called once QEMU answers QMP, when its TAP exists; a host slow to show it gets a few seconds.
  for (let attempt = 0; ; attempt += 1) {
    const shown = await system.run('ip', [...inside, 'link', 'show', 'dev', tap], { check: false, timeoutMs: 15_000 });
    if (shown.exitCode === 0 || attempt >= 50) break;
    await sleep(100);
  }
  await ip(system, [...inside, 'link', 'set', 'dev', tap, 'master', plan.bridge], `put ${tap} on bridge ${plan.bridge}`);
  await ip(system, [...inside, 'link', 'set', 'dev', tap, 'up'], `bring up ${tap}`);
}

/**
 * Removes an isolated network's namespace once no process runs in it (the last VM on it is
 * gone). A namespace still in use is left as it is. Returns whether it was removed.
 */
export async function releaseIsolatedNamespace(system: HostSystem, namespace: string): Promise<boolean> {
  if (!(await namespaces(system)).has(namespace)) return false;
  const pids = await system.run('ip', ['netns', 'pids', namespace], { check: false, timeoutMs: 15_000 });
  if (pids.exitCode !== 0 || pids.stdout.trim() !== '') return false;
  await ip(system, ['netns', 'delete', namespace], `remove network namespace ${namespace}`);
  return true;
}

/** The guest's address without prefix, for SSH and benchmark clients. */
export function guestHost(address: string): string {
  return addressPart(address);
}
