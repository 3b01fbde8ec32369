/**
 * What may name an SSH host and its user, wherever the name comes from (the lab file, a state
 * record, a record read back from a remote host, `~/.ssh/config`): a host name, an IPv4 or IPv6
 * address, or an ssh_config alias; never something `ssh` would read as an option (a leading
 * `-`) and never a pattern (`,`, `*`, `?`, `!`, whitespace) that would become a wildcard
 * `known_hosts` entry trusting a key for many hosts.
 */
import { isIPv6 } from 'node:net';

/** Longest host name DNS allows. */
const MAX_HOST_LENGTH = 253;
/** Longest user name accepted (Linux allows 32; some directories more). */
const MAX_USER_LENGTH = 64;

/** Host names, IPv4 addresses and ssh_config aliases: a letter, digit or `_`, then those, `.` and `-`. */
const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** IPv6, optionally with a zone (`fe80::1%eth0`). */
const IPV6 = /^([0-9A-Fa-f:.]+)(%[A-Za-z0-9_.-]+)?$/;
/** User names as POSIX and shadow-utils allow them (plus `$` at the end, for machine accounts). */
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

/**
 * Why `address` cannot be an SSH host address, as the end of a sentence ("it …"); undefined
 * when it can.
 */
export function hostAddressProblem(address: string): string | undefined {
  if (address === '') return 'it is empty';
  if (address.length > MAX_HOST_LENGTH) return `it is longer than ${MAX_HOST_LENGTH} characters`;
  if (address.startsWith('-')) return 'it starts with "-", which ssh would read as an option';
  if (/[\s,*?!]/.test(address)) return 'it contains whitespace or one of , * ? ! (patterns that would write a wildcard known_hosts entry)';
  if (address.includes(':')) {
    const ipv6 = IPV6.exec(address);
    return ipv6 !== null && isIPv6(ipv6[1] ?? '') ? undefined : 'it has a ":" but is not an IPv6 address';
  }
  if (!HOST_NAME.test(address)) return 'it may only use letters, digits, ".", "-" and "_" (a host name, an IP address or an ~/.ssh/config alias)';
  return undefined;
}

/** Why `user` cannot be a user name to log in as; undefined when it can. */
export function userNameProblem(user: string): string | undefined {
  if (user === '') return 'it is empty';
  if (user.length > MAX_USER_LENGTH) return `it is longer than ${MAX_USER_LENGTH} characters`;
  if (user.startsWith('-')) return 'it starts with "-", which ssh would read as an option';
  if (!USER_NAME.test(user)) return 'it may only use letters, digits, ".", "-" and "_"';
  return undefined;
}
