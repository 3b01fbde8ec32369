/**
 * Which migration capabilities and parameters a QEMU has, by version, and the QMP arguments
 * that switch them on. Names as the lab file writes them (`postcopy`) map to QEMU's
 * (`postcopy-ram`).
 */
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';
import type { MigrationCapability } from '../lab/model';
import type { QmpValue } from '../infrastructure/qmp/messages';

/** A QEMU release, `major.minor`. */
export interface QemuRelease {
  readonly major: number;
  readonly minor: number;
}

/** What one capability is in QEMU, and since when QEMU has it under that name. */
export interface CapabilityInfo {
  /** QEMU's name (QAPI `MigrationCapability`). */
  readonly qemuName: string;
  readonly since: QemuRelease;
  /** Whether the destination must have it switched on too (before `migrate-incoming`). */
  readonly bothEnds: boolean;
}

/**
 * The version table. `postcopy-ram` came as `x-postcopy-ram` in 2.5 and lost its `x-` in 2.6;
 * `multifd` came as `x-multifd` in 2.11 and lost its `x-` in 4.0 (with `multifd-channels`).
 */
export const CAPABILITY_TABLE: Readonly<Record<MigrationCapability, CapabilityInfo>> = {
  'auto-converge': { qemuName: 'auto-converge', since: { major: 1, minor: 6 }, bothEnds: false },
  xbzrle: { qemuName: 'xbzrle', since: { major: 1, minor: 2 }, bothEnds: false },
  postcopy: { qemuName: 'postcopy-ram', since: { major: 2, minor: 6 }, bothEnds: true },
  multifd: { qemuName: 'multifd', since: { major: 4, minor: 0 }, bothEnds: true },
};

/**
 * The `events` capability (MIGRATION and MIGRATION_PASS events; 2.6) and the parameters
 * `max-bandwidth` and `downtime-limit` of `migrate-set-parameters` (2.8) are always used.
 */
export const BASE_REQUIREMENT: QemuRelease = { major: 2, minor: 8 };

/** Every capability this tool manages; each migration sets all of them, on or off. */
export const MANAGED_CAPABILITIES: readonly MigrationCapability[] = ['auto-converge', 'xbzrle', 'postcopy', 'multifd'];

function atLeast(version: QemuRelease, release: QemuRelease): boolean {
  return version.major > release.major || (version.major === release.major && version.minor >= release.minor);
}

function show(release: QemuRelease): string {
  return `${release.major}.${release.minor}`;
}

/** A capability one end cannot do, and why. */
export interface CapabilityProblem {
  readonly end: 'source' | 'destination';
  readonly capability: MigrationCapability | 'events';
  readonly message: string;
}

/**
 * What the two QEMUs cannot do of what is asked, from their versions and (when known) the
 * capability names the source's `query-migrate-capabilities` lists. Empty when all is well.
 */
export function capabilityProblems(
  asked: readonly MigrationCapability[],
  versions: { readonly source: QemuVersion; readonly destination: QemuVersion },
  sourceCapabilities?: readonly string[],
): CapabilityProblem[] {
  const problems: CapabilityProblem[] = [];
  for (const end of ['source', 'destination'] as const) {
    const version = versions[end];
    if (!atLeast(version, BASE_REQUIREMENT)) {
      problems.push({ end, capability: 'events', message: `QEMU ${version.major}.${version.minor} on the ${end} is older than ${show(BASE_REQUIREMENT)}, the first with migration events and migrate-set-parameters` });
    }
    for (const capability of asked) {
      const info = CAPABILITY_TABLE[capability];
      if (end === 'destination' && !info.bothEnds) continue;
      if (!atLeast(version, info.since)) {
        problems.push({ end, capability, message: `${capability} (${info.qemuName}) needs QEMU ${show(info.since)} or newer; the ${end} has ${version.major}.${version.minor}` });
      }
    }
  }
  if (sourceCapabilities !== undefined) {
    for (const capability of [...asked, 'events' as const]) {
      const qemuName = capability === 'events' ? 'events' : CAPABILITY_TABLE[capability].qemuName;
      if (!sourceCapabilities.includes(qemuName) && !problems.some((p) => p.end === 'source' && p.capability === capability)) {
        problems.push({ end: 'source', capability, message: `the source QEMU does not list the ${qemuName} capability (query-migrate-capabilities)` });
      }
    }
  }
  return problems;
}

/** The capability names in a `query-migrate-capabilities` reply. */
export function capabilityNames(reply: QmpValue): string[] {
  if (!Array.isArray(reply)) return [];
  const names: string[] = [];
  for (const entry of reply as readonly QmpValue[]) {
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const name = (entry as { capability?: unknown }).capability;
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

/** The capability states in a `query-migrate-capabilities` reply, by QEMU name. */
export function capabilityStates(reply: QmpValue): Map<string, boolean> {
  const states = new Map<string, boolean>();
  if (!Array.isArray(reply)) return states;
  for (const entry of reply as readonly QmpValue[]) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const { capability, state } = entry as { capability?: unknown; state?: unknown };
    if (typeof capability === 'string' && typeof state === 'boolean') states.set(capability, state);
  }
  return states;
}

/**
 * `migrate-set-capabilities` arguments for one end: `events` on, and every managed capability
 * set explicitly (a QEMU keeps capabilities across migrations, so an earlier attempt's
 * `xbzrle` must not leak into this one). The destination gets only those both ends need.
 */
export function capabilityArguments(asked: readonly MigrationCapability[], end: 'source' | 'destination'): { capabilities: QmpValue[] } {
  const capabilities: QmpValue[] = [{ capability: 'events', state: true }];
  for (const capability of MANAGED_CAPABILITIES) {
    const info = CAPABILITY_TABLE[capability];
    if (end === 'destination' && !info.bothEnds) continue;
    capabilities.push({ capability: info.qemuName, state: asked.includes(capability) });
  }
  return { capabilities };
}

/** `migrate-set-capabilities` arguments that put back the states read before (for a rollback). */
export function restoreCapabilityArguments(before: ReadonlyMap<string, boolean>): { capabilities: QmpValue[] } {
  const capabilities: QmpValue[] = [];
  // pause-before-switchover: set by a migration that copies a disk (perform.ts).
  for (const name of ['events', 'pause-before-switchover', ...MANAGED_CAPABILITIES.map((c) => CAPABILITY_TABLE[c].qemuName)]) {
    const state = before.get(name);
    if (state !== undefined) capabilities.push({ capability: name, state });
  }
  return { capabilities };
}
