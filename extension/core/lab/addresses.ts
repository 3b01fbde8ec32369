/**
 * IP addresses as a lab file writes them: a guest address with its prefix (`10.10.0.11/24`) and a
 * gateway (`10.10.0.1`).
 */
import { isIP } from 'node:net';
import { quote } from './wording';

/** A checked address, or what is wrong with it. */
export type AddressResult = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly suggestion?: string };

/** Checks an address with prefix length: `10.10.0.11/24`, `fd00::11/64`. */
export function checkCidr(text: string): AddressResult {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return { ok: false, message: `${quote(text)} is not an IP address with a prefix, like 10.10.0.11/24` };
  const maxPrefix = family === 4 ? 32 : 128;
  if (slash === -1) {
    const suggestion = `${address}/${family === 4 ? 24 : 64}`;
    return { ok: false, message: `${quote(text)} needs a prefix length, like ${suggestion}`, suggestion };
  }
  const prefix = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > maxPrefix) {
    return { ok: false, message: `${quote(text)} has a bad prefix length; use 0 to ${maxPrefix}, like /24` };
  }
  return { ok: true };
}

/** Checks a plain IP address, without prefix: `10.10.0.1`. */
export function checkIpAddress(text: string): AddressResult {
  return isIP(text) === 0 ? { ok: false, message: `${quote(text)} is not an IP address, like 10.10.0.1` } : { ok: true };
}
