/**
 * Finding nodes of a located tree by their keys: `['vms', 'vm1', 'accel']` is the accel of VM vm1.
 */
import type { LabMapEntry, LabNode } from './tree';

/** The entries of `node` if it is a mapping, else none. */
export function mapEntries(node: LabNode | undefined): readonly LabMapEntry[] {
  return node?.kind === 'map' ? node.entries : [];
}

/** The first entry of mapping `node` with `key` (the one the validator reads). */
export function mapEntry(node: LabNode | undefined, key: string): LabMapEntry | undefined {
  return mapEntries(node).find((entry) => entry.key === key);
}

/** The entry reached by following `path` from `root` (`path` must not be empty). */
export function entryAtPath(root: LabNode | undefined, path: readonly string[]): LabMapEntry | undefined {
  let node = root;
  let entry: LabMapEntry | undefined;
  for (const key of path) {
    entry = mapEntry(node, key);
    if (entry === undefined) return undefined;
    node = entry.value;
  }
  return entry;
}

/** The node reached by following `path` from `root` (`root` itself for the empty path). */
export function nodeAtPath(root: LabNode | undefined, path: readonly string[]): LabNode | undefined {
  return path.length === 0 ? root : entryAtPath(root, path)?.value;
}
