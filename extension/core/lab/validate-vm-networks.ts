/**
 * Checks between VMs and the bridge networks they are on: a built-in guest there needs an
 * address (that is where the tool reaches its SSH), on the network's subnet for an isolated
 * network, and no two VMs of a network may share one.
 */
import { addressPart, inSubnet, parseIpv4Cidr, suggestedGuestAddress } from '../infrastructure/network/ipv4';
import type { DiagnosticCollector } from './diagnostic';
import type { NetworkSpec, SourceSpan, VmSpec } from './model';
import { USER_NETWORK } from './vocabulary';
import { quote } from './wording';

const NOWHERE: SourceSpan = { line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };

/** Reports VMs on bridge networks whose addresses cannot work. */
export function checkVmNetworks(vms: ReadonlyMap<string, VmSpec>, networks: ReadonlyMap<string, NetworkSpec>, diagnostics: DiagnosticCollector): void {
  const taken = new Map<string, string>();
  let index = 0;
  for (const vm of vms.values()) {
    const network = vm.network === USER_NETWORK ? undefined : networks.get(vm.network);
    if (network === undefined) continue;
    const span = vm.span ?? NOWHERE;
    const hostSide = network.kind === 'isolated' ? network.address : undefined;
    const subnet = hostSide === undefined ? undefined : parseIpv4Cidr(hostSide);
    if (vm.address === undefined) {
      index += 1;
      continue;
    }
    index += 1;
    const owner = taken.get(`${network.name}\u0000${addressPart(vm.address)}`);
    if (owner !== undefined) {
      diagnostics.error('duplicate-address', span, `VM ${quote(vm.name)} has the address of VM ${quote(owner)} on network ${quote(network.name)}; give each VM its own`);
    } else {
      taken.set(`${network.name}\u0000${addressPart(vm.address)}`, vm.name);
    }
    const own = parseIpv4Cidr(vm.address);
    if (subnet !== undefined && own !== undefined) {
      if (!inSubnet(subnet, own.address) || own.prefix !== subnet.prefix) {
        diagnostics.error(
          'address-outside-network',
          span,
          `VM ${quote(vm.name)}: address ${vm.address} is not on network ${quote(network.name)} (${hostSide ?? ''}); use ${suggestedGuestAddress(subnet, index - 1) ?? 'an address of that subnet'}`,
        );
      } else if (own.address === subnet.address) {
        diagnostics.error('duplicate-address', span, `VM ${quote(vm.name)}: ${addressPart(vm.address)} is the host side of network ${quote(network.name)}; pick another address`);
      }
    }
  }
}

/** An address to suggest for the `index`-th VM of a network that has none. */
export function suggestAddress(network: NetworkSpec, index: number): string {
  const subnet = network.kind === 'isolated' ? parseIpv4Cidr(network.address) : undefined;
  return (subnet === undefined ? undefined : suggestedGuestAddress(subnet, index)) ?? '10.10.0.11/24';
}

/** Reports a built-in guest on a bridge network without an address (that is where the tool reaches its SSH). */
export function reportMissingAddress(vmName: string, network: NetworkSpec, index: number, span: SourceSpan, diagnostics: DiagnosticCollector): void {
  diagnostics.error(
    'missing-address',
    span,
    // No suggestion data: a quick fix would replace the span (the VM's name) with it.
    `VM ${quote(vmName)} is on network ${quote(network.name)}: give it an address, like "address: ${suggestAddress(network, index)}" (the tool reaches its SSH there)`,
  );
}
