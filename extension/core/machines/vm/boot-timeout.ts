/** How long a boot may wait for its guest when the caller sets no bound: the same on both backends. */
import type { BootRequest } from './backend';

const DEFAULT_BOOT_TIMEOUT_MS = 120_000;
/** A distribution on a disk image under TCG: systemd, then cloud-init's Python stages, all emulated. */
const DISK_GUEST_TCG_BOOT_TIMEOUT_MS = 600_000;

/** The bound of a boot of `request` when the caller sets none. */
export function defaultBootTimeoutMs(request: Pick<BootRequest, 'boot' | 'accel'>): number {
  return request.boot.kind === 'disk' && request.accel.accel === 'tcg' ? DISK_GUEST_TCG_BOOT_TIMEOUT_MS : DEFAULT_BOOT_TIMEOUT_MS;
}
