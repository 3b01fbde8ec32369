/**
 * Which QEMU version brought each migration capability a lab file may ask for, and its QMP name.
 * QEMU Lab needs QEMU 7.0 or newer, which has all of them; the table matters for hosts running an
 * older QEMU, and says in a hover what each capability turns on.
 */
import type { QemuVersion } from '../core/infrastructure/hosts/probes/qemu-binary';
import type { MigrationCapability } from '../core/lab/model';

/** A QEMU release, `major.minor`. */
export interface QemuRelease {
  readonly major: number;
  readonly minor: number;
}

/** A migration capability in QMP (`migrate-set-capabilities`) and the first release with that name. */
export interface CapabilityFeature {
  readonly qmpName: string;
  readonly since: QemuRelease;
}

/** QMP name and first release of each migration capability (QEMU's changelogs). */
export const MIGRATION_CAPABILITY_FEATURES: Readonly<Record<MigrationCapability, CapabilityFeature>> = {
  xbzrle: { qmpName: 'xbzrle', since: { major: 1, minor: 2 } },
  'auto-converge': { qmpName: 'auto-converge', since: { major: 1, minor: 6 } },
  // x-postcopy-ram in 2.5, stable from 2.6.
  postcopy: { qmpName: 'postcopy-ram', since: { major: 2, minor: 6 } },
  // x-multifd from 2.11, stable from 4.0.
  multifd: { qmpName: 'multifd', since: { major: 4, minor: 0 } },
};

/** Whether `version` is `release` or later. */
export function isAtLeast(version: QemuRelease, release: QemuRelease): boolean {
  return version.major > release.major || (version.major === release.major && version.minor >= release.minor);
}

/** `7.2.22` for a parsed QEMU version. */
export function formatVersion(version: QemuVersion): string {
  return `${version.major}.${version.minor}.${version.micro}`;
}
