/**
 * The kernel command line of the built-in guest: serial console, quiet kernel, and the
 * `qemulab.*` parameters its /init reads (address, gateway, hostname).
 */
import { isIP } from 'node:net';
import { GuestBuildError } from '../../errors';

/** Per-VM settings passed to the guest on its kernel command line. */
export interface GuestCommandLineOptions {
  /** `ADDR/PREFIX` for eth0; default 10.0.2.15/24 (QEMU user-net). */
  readonly ip?: string;
  /** The default gateway; default 10.0.2.2 (QEMU user-net). */
  readonly gateway?: string;
  /** The guest's hostname; default `qemu-lab`. */
  readonly hostname?: string;
}

const SAFE_VALUE = /^[0-9A-Za-z./:_-]+$/;

function invalid(what: string, value: string, why: string): GuestBuildError {
  return new GuestBuildError(`Invalid guest ${what} ${JSON.stringify(value)}: ${why}.`, {
    hint: `Use only letters, digits and . / : _ - in the guest ${what}, without spaces.`,
  });
}

function checkSafe(what: string, value: string): void {
  if (!SAFE_VALUE.test(value)) throw invalid(what, value, 'it must be non-empty and use only [0-9A-Za-z./:_-]');
}

function checkAddress(value: string): void {
  checkSafe('address', value);
  const slash = value.lastIndexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw invalid('address', value, 'expected ADDR/PREFIX, e.g. 10.0.2.15/24');
  if (slash < 0) throw invalid('address', value, 'the prefix length is missing, e.g. /24');
  const prefix = value.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    throw invalid('address', value, `the prefix length must be 0–${max}`);
  }
}

function checkGateway(value: string): void {
  checkSafe('gateway', value);
  if (isIP(value) === 0) throw invalid('gateway', value, 'expected an IP address');
}

function checkHostname(value: string): void {
  checkSafe('hostname', value);
  if (value.length > 64) throw invalid('hostname', value, 'it is longer than 64 characters');
}

/**
 * The guest kernel's command line: `console=ttyS0 quiet` (kernel messages are kept to warnings,
 * /init's readiness line still shows) plus `qemulab.ip=`, `qemulab.gw=` and `qemulab.hostname=`
 * for the options given. Throws a {@link GuestBuildError} for a value that is not a plain address
 * or name.
 */
export function guestKernelCommandLine(options: GuestCommandLineOptions = {}): string {
  const parts = ['console=ttyS0', 'quiet'];
  if (options.ip !== undefined) {
    checkAddress(options.ip);
    parts.push(`qemulab.ip=${options.ip}`);
  }
  if (options.gateway !== undefined) {
    checkGateway(options.gateway);
    parts.push(`qemulab.gw=${options.gateway}`);
  }
  if (options.hostname !== undefined) {
    checkHostname(options.hostname);
    parts.push(`qemulab.hostname=${options.hostname}`);
  }
  return parts.join(' ');
}
