/**
 * What each place of a lab file may hold, for completion and hover: which keys a mapping has
 * (from the vocabulary the validator uses), what their values are (enumerations from the
 * vocabulary, names defined elsewhere in the file, sizes), and what each key means and defaults
 * to (from the JSON schema, which a unit test keeps in step with the vocabulary). No third copy.
 */
import schemaJson from '../../schemas/qemu-lab.schema.json';
import { DURING_BENCHMARKS, DURING_TARGETS } from '../core/migration/during/spec';
import {
  BENCHMARKS,
  BOOT_DEVICES,
  CAPABILITIES,
  DIRECTIONS,
  EXPERIMENT_KEYS,
  HOST_KEYS,
  HOST_KINDS,
  MATRIX_KEYS,
  MIGRATION_KEYS,
  NETWORK_KEYS,
  MIGRATION_STORAGES,
  NETWORK_KINDS,
  SECTION_KEYS,
  TARGETS,
  VM_KEYS,
  type SectionKey,
} from '../core/lab/vocabulary';

/** The parts of a JSON schema node this module reads. */
export interface SchemaNode {
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

/** The kinds of mapping a lab file has: the file itself, a section, an entry of a section, a matrix. */
export type LabShape = 'root' | 'section' | 'host' | 'network' | 'vm' | 'experiment' | 'matrix' | 'migration';

/** The sections whose names other entries refer to. */
export type NamedSection = Extract<SectionKey, 'hosts' | 'networks' | 'vms'>;

/** What a key's value (or each item of its list) may be. */
export type ValueSpec =
  | { readonly kind: 'choice'; readonly values: readonly string[] }
  | { readonly kind: 'accel' }
  | { readonly kind: 'machine' }
  | { readonly kind: 'nic' }
  | { readonly kind: 'reference'; readonly section: NamedSection }
  | { readonly kind: 'size' }
  | { readonly kind: 'bandwidth' }
  | { readonly kind: 'duration'; readonly examples: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'image' }
  | { readonly kind: 'mapping' }
  | { readonly kind: 'text' };

/** A key of some mapping: its value, and whether the value is a list of such values. */
export interface KeySpec {
  readonly value: ValueSpec;
  readonly list: boolean;
}

const schema = schemaJson as { readonly properties: Readonly<Record<string, SchemaNode>>; readonly definitions: Readonly<Record<string, SchemaNode>> };

const ENTRY_SHAPES: Readonly<Record<SectionKey, LabShape>> = {
  hosts: 'host',
  networks: 'network',
  vms: 'vm',
  experiments: 'experiment',
  migrations: 'migration',
};

const KEYS: Readonly<Record<LabShape, readonly string[]>> = {
  root: SECTION_KEYS,
  section: [],
  host: HOST_KEYS,
  network: NETWORK_KEYS,
  vm: VM_KEYS,
  experiment: EXPERIMENT_KEYS,
  matrix: MATRIX_KEYS,
  migration: MIGRATION_KEYS,
};

const one = (value: ValueSpec): KeySpec => ({ value, list: false });
const many = (value: ValueSpec): KeySpec => ({ value, list: true });
const text = one({ kind: 'text' });

const SPECS: Readonly<Record<LabShape, Readonly<Record<string, KeySpec>>>> = {
  root: Object.fromEntries(SECTION_KEYS.map((key) => [key, one({ kind: 'mapping' })])),
  section: {},
  host: { kind: one({ kind: 'choice', values: HOST_KINDS }), address: text, user: text, port: text, identity: text, qemu: text, uri: text },
  network: { kind: one({ kind: 'choice', values: NETWORK_KINDS }), bridge: text, address: text },
  vm: {
    host: one({ kind: 'reference', section: 'hosts' }),
    image: one({ kind: 'image' }),
    disk: one({ kind: 'size' }),
    cdrom: text,
    boot: one({ kind: 'choice', values: BOOT_DEVICES }),
    cloudInit: one({ kind: 'boolean' }),
    user: text,
    identity: text,
    cpus: text,
    memory: one({ kind: 'size' }),
    accel: one({ kind: 'accel' }),
    machine: one({ kind: 'machine' }),
    nic: one({ kind: 'nic' }),
    network: one({ kind: 'reference', section: 'networks' }),
    address: text,
    gateway: text,
    sshPort: text,
    vnc: one({ kind: 'boolean' }),
    extraArgs: many({ kind: 'text' }),
    faultTolerance: one({ kind: 'mapping' }),
    domain: text,
  },
  experiment: {
    vm: one({ kind: 'reference', section: 'vms' }),
    matrix: one({ kind: 'mapping' }),
    targets: many({ kind: 'choice', values: TARGETS }),
    benchmarks: many({ kind: 'choice', values: BENCHMARKS }),
    direction: many({ kind: 'choice', values: DIRECTIONS }),
    repetitions: text,
    duration: one({ kind: 'duration', examples: ['5s', '10s', '30s', '60s'] }),
    fromSnapshot: text,
  },
  matrix: { accel: many({ kind: 'accel' }), nic: many({ kind: 'nic' }) },
  migration: {
    vm: one({ kind: 'reference', section: 'vms' }),
    to: one({ kind: 'reference', section: 'hosts' }),
    maxBandwidth: one({ kind: 'bandwidth' }),
    downtimeLimit: one({ kind: 'duration', examples: ['100ms', '300ms', '1s', '2s'] }),
    capabilities: many({ kind: 'choice', values: CAPABILITIES }),
    during: many({ kind: 'choice', values: DURING_BENCHMARKS.flatMap((b) => DURING_TARGETS.map((t) => `${b}@${t}`)) }),
    duringSeconds: text,
    sameHost: one({ kind: 'boolean' }),
    storage: one({ kind: 'choice', values: MIGRATION_STORAGES }),
  },
};

/** The schema definition of each shape's mapping. */
const DEFINITIONS: Readonly<Record<LabShape, SchemaNode | undefined>> = {
  root: schema as SchemaNode,
  section: undefined,
  host: schema.definitions.host,
  network: schema.definitions.network,
  vm: schema.definitions.vm,
  experiment: schema.definitions.experiment,
  matrix: schema.definitions.matrix,
  migration: schema.definitions.migration,
};

/** Whether `key` names a section. */
export function isSection(key: string | undefined): key is SectionKey {
  return (SECTION_KEYS as readonly (string | undefined)[]).includes(key);
}

/** The kind of mapping at `path` (keys from the top of the file), if the file has one there. */
export function shapeAt(path: readonly string[]): LabShape | undefined {
  const [section, , sub] = path;
  if (path.length === 0) return 'root';
  if (!isSection(section)) return undefined;
  if (path.length === 1) return 'section';
  if (path.length === 2) return ENTRY_SHAPES[section];
  if (path.length === 3 && section === 'experiments' && sub === 'matrix') return 'matrix';
  return undefined;
}

/** The keys a mapping of `shape` may hold, in the order the docs present them. */
export function keysOf(shape: LabShape): readonly string[] {
  return KEYS[shape];
}

/** What `key` of a `shape` mapping holds; `undefined` for a key the mapping does not have. */
export function keySpec(shape: LabShape, key: string): KeySpec | undefined {
  return Object.hasOwn(SPECS[shape], key) ? SPECS[shape][key] : undefined;
}

/** The schema of `key` in a `shape` mapping (for `section`, `key` is an entry's name: the entry's schema). */
export function keySchema(shape: LabShape, key: string, section?: SectionKey): SchemaNode | undefined {
  if (shape === 'section') return section === undefined ? undefined : DEFINITIONS[ENTRY_SHAPES[section]];
  const properties = DEFINITIONS[shape]?.properties;
  return properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined;
}

/** A schema default as a lab file would write it: `1G`, `[guest]`, `false`. */
export function formatDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return `[${value.map((item) => String(item)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0 ? '{}' : JSON.stringify(value);
  return String(value);
}
