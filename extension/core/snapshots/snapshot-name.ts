/** Snapshot names: what a user may type, and the name `save` makes when given none. */
import { SnapshotError } from './errors';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** What a snapshot name may hold, in words (for messages). */
export const SNAPSHOT_NAME_RULE =
  'use 1 to 64 letters, digits, dots, dashes and underscores, not starting with a dot or dash and not all digits (e.g. before-upgrade)';

/**
 * Whether `name` is a snapshot name QEMU Lab takes. QEMU finds a snapshot by name *or* by its
 * numeric id, so an all-digit name could pick another snapshot: not one.
 */
export function isSnapshotName(name: string): boolean {
  return NAME.test(name) && !/^\d+$/.test(name);
}

/**
 * Checks a snapshot name (see {@link isSnapshotName}); names that could pass for an option are refused too.
 *
 * @throws SnapshotError saying what a name may hold.
 */
export function checkSnapshotName(name: string): string {
  if (!isSnapshotName(name)) {
    throw new SnapshotError(`"${name}" is not a snapshot name QEMU Lab takes.`, { hint: `Names: ${SNAPSHOT_NAME_RULE}.` });
  }
  return name;
}

/** The name `snapshot save` gives when none is given: `snap-YYYYMMDD-HHMMSS` in UTC. */
export function timestampedName(now: Date): string {
  const iso = now.toISOString(); // 2026-12-02T15:04:05.123Z
  return `snap-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}
