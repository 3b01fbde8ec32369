/**
 * Where the COLO proxy sockets of a pair listen. The primary listens for the secondary on two
 * sockets (packets mirrored to it, packets it sends back for comparison) on the primary's own
 * address as the secondary sees it — loopback when both run on one machine — and talks to
 * itself on two loopback sockets (its own packets into colo-compare, and compare's output back
 * to the NIC). Nothing ever binds 0.0.0.0: QEMU's example does, which would let anyone inject
 * packets into the guest.
 */
import { isIP } from 'node:net';

/** The TCP ports of a pair's proxy sockets (and its migration stream). */
export interface ColoPorts {
  /** Primary → secondary: the packets the primary's guest receives (filter-mirror). */
  readonly mirror: number;
  /** Secondary → primary: what the secondary's guest sends (colo-compare's secondary_in). */
  readonly secondaryIn: number;
  /** Primary, loopback: what the primary's guest sends (colo-compare's primary_in). */
  readonly primaryIn: number;
  /** Primary, loopback: colo-compare's output back to the NIC. */
  readonly compareOut: number;
}

/** Everything the argv and QMP builders need to know about a pair's sockets. */
export interface ColoProxyPlan {
  /** The primary's address the secondary connects to (127.0.0.1 on one machine). */
  readonly primaryAddress: string;
  readonly ports: ColoPorts;
  /** The id of the VM's netdev the filters attach to (`net0` in QEMU Lab's argv). */
  readonly netdev: string;
}

/** The netdev id QEMU Lab gives a VM's network (see infrastructure/qemu/argv.ts). */
export const LAB_NETDEV_ID = 'net0';

/** Checks a plan before anything is built from it: a real address (never a wildcard) and distinct ports. */
export function checkProxyPlan(plan: ColoProxyPlan): void {
  if (isIP(plan.primaryAddress) === 0) throw new RangeError(`Not an IP address: ${plan.primaryAddress}`);
  if (plan.primaryAddress === '0.0.0.0' || plan.primaryAddress === '::') {
    throw new RangeError('COLO proxy sockets never listen on a wildcard address.');
  }
  const ports = Object.values(plan.ports);
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`Not a TCP port: ${port}`);
  }
  if (new Set(ports).size !== ports.length) throw new RangeError('The COLO proxy ports must differ.');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(plan.netdev)) throw new RangeError(`Not a netdev id: ${plan.netdev}`);
}
