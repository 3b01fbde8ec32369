/**
 * Where the destination QEMU gets its run directory. A VM's *home* is the directory of the host
 * the lab file names; once the VM migrates, the home record points (`movedTo`) at where it
 * runs, so the lab's key keeps finding it. The destination must never take over the home while
 * it holds that pointer, nor the source's directory: on the same host it gets a slot.
 */
import type { VmLocation } from '../machines/vm/vm-record';

/** Slots tried in order on the destination host; three always leave one free of home and source. */
const SLOTS: readonly (string | undefined)[] = [undefined, 'b', 'c'];

/** Whether two locations are the same directory. */
export function sameLocation(a: VmLocation, b: VmLocation): boolean {
  return a.host === b.host && a.slot === b.slot;
}

/**
 * The destination's location on `toHost`: the host's usual directory unless that is the
 * source's or a home that points elsewhere (then the first free slot).
 *
 * @param home where the lab file puts the VM.
 * @param source where the VM runs now (the home itself before its first migration).
 */
export function destinationLocation(home: VmLocation, source: VmLocation, toHost: string): VmLocation {
  const homeIsPointer = !sameLocation(home, source);
  for (const slot of SLOTS) {
    const candidate: VmLocation = slot === undefined ? { host: toHost } : { host: toHost, slot };
    if (sameLocation(candidate, source)) continue;
    if (homeIsPointer && sameLocation(candidate, home)) continue;
    return candidate;
  }
  // Unreachable: at most two of the three slots are taken.
  throw new Error('No free run directory for the destination.');
}

/** A location in words: `lab-b`, or `local (slot b)`. */
export function describeLocation(location: VmLocation): string {
  return location.slot === undefined ? location.host : `${location.host} (slot ${location.slot})`;
}
