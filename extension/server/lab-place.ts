/**
 * A located position read against the lab file's shape: which kind of mapping it is in, and what
 * the key there holds. A key position under a key whose value is not a mapping (a line of spaces
 * under `nic:` or `capabilities:`) is where that key's value, or an item of its list, goes.
 */
import type { LabLocation, LabLocationRole } from '../core/lab/lab-location';
import type { LabNode } from '../core/lab/tree';
import { nodeAtPath } from '../core/lab/tree-path';
import { LOCAL_HOST } from '../core/lab/vocabulary';
import { keySpec, shapeAt, type KeySpec, type LabShape } from './lab-schema';

/** A position in a lab file, with its meaning. */
export interface LabPlace {
  readonly location: LabLocation;
  /** The mapping holding the key (for `key`: the mapping the key is written in). */
  readonly shape: LabShape | undefined;
  readonly path: readonly string[];
  readonly role: LabLocationRole;
  readonly key: string | undefined;
  /** What the key holds (`value`, `item`; `key` when the key is known). */
  readonly spec: KeySpec | undefined;
  /** An item of a block list on a line with no `- ` yet: a completion writes `- item`. */
  readonly needsDash: boolean;
}

/** The meaning of `location`. */
export function placeOf(location: LabLocation): LabPlace {
  const { path, role, key } = location;
  const shape = shapeAt(path);
  if (role === 'key' && shape === undefined && path.length > 0) {
    const ownerPath = path.slice(0, -1);
    const owner = path[path.length - 1] ?? '';
    const ownerShape = shapeAt(ownerPath);
    const spec = ownerShape === undefined ? undefined : keySpec(ownerShape, owner);
    if (spec !== undefined && spec.value.kind !== 'mapping') {
      return { location, shape: ownerShape, path: ownerPath, role: spec.list ? 'item' : 'value', key: owner, spec, needsDash: spec.list };
    }
  }
  const spec = shape === undefined || key === undefined ? undefined : keySpec(shape, key);
  return { location, shape, path, role, key, spec, needsDash: false };
}

/** The string value written at `path` of `tree`, if it is a string. */
export function scalarAt(tree: LabNode | undefined, path: readonly string[]): string | undefined {
  const node = nodeAtPath(tree, path);
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * The host a place is about: a VM's own host, an experiment's VM's host, a migration's VM's host
 * (`local` when not written).
 */
export function hostNameAt(tree: LabNode | undefined, path: readonly string[]): string {
  const [section, name] = path;
  if (name === undefined) return LOCAL_HOST;
  const vm = section === 'vms' ? name : section === 'experiments' || section === 'migrations' ? scalarAt(tree, [section, name, 'vm']) : undefined;
  return (vm === undefined ? undefined : scalarAt(tree, ['vms', vm, 'host'])) ?? LOCAL_HOST;
}
