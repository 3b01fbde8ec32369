/**
 * IPv4 arithmetic on addresses as lab files write them (`10.77.0.11/24`): enough to tell
 * whether a guest's address is on its network and to suggest a free one.
 */
import { isIPv4 } from 'node:net';

/** An IPv4 address with its prefix length, as numbers. */
export interface Ipv4Cidr {
  /** The address as an unsigned 32-bit number. */
  readonly address: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/p`; undefined for anything else (IPv6 included). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const [address, prefix, ...rest] = text.split('/');
  if (address === undefined || prefix === undefined || rest.length > 0 || !isIPv4(address) || !/^[0-9]{1,2}$/.test(prefix)) return undefined;
  const length = Number(prefix);
  if (length > 32) return undefined;
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return { address: value, prefix: length };
}

/** Dotted form of an address number. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

function networkOf(cidr: Ipv4Cidr): number {
  const hostBits = 32 - cidr.prefix;
  return Math.floor(cidr.address / 2 ** hostBits) * 2 ** hostBits;
}

/** Whether `address` (a plain or prefixed IPv4 address) lies in the subnet of `network`. */
export function inSubnet(network: Ipv4Cidr, address: number): boolean {
  return networkOf(network) === networkOf({ address, prefix: network.prefix });
}

/** The `index`-th guest address of a network, counting from `.11`: `10.77.0.1/24`, 0 → `10.77.0.11/24`. */
export function suggestedGuestAddress(network: Ipv4Cidr, index: number): string | undefined {
  const candidate = networkOf(network) + 11 + index;
  if (!inSubnet(network, candidate) || candidate === network.address) return undefined;
  return `${formatIpv4(candidate)}/${network.prefix}`;
}

/** The address part of `ADDR/PREFIX` (or the text itself when it has no prefix). */
export function addressPart(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash === -1 ? cidr : cidr.slice(0, slash);
}
