import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleLabText } from '../../../extension/core/lab/example';
import { BANDWIDTH_PATTERN, DURATION_PATTERN, SIZE_PATTERN } from '../../../extension/core/lab/sizes';
import {
  ACCELS,
  BENCHMARKS,
  BOOT_DEVICES,
  BRIDGE_PATTERN,
  CAPABILITIES,
  EXPERIMENT_DEFAULTS,
  EXPERIMENT_KEYS,
  HOST_DEFAULTS,
  HOST_KEYS,
  HOST_KINDS,
  LIMITS,
  MACHINES,
  MATRIX_KEYS,
  MIGRATION_DEFAULTS,
  MIGRATION_KEYS,
  NAME_MAX_LENGTH,
  NAME_PATTERN,
  NETWORK_DEFAULTS,
  NETWORK_KEYS,
  NETWORK_KINDS,
  NIC_PATTERN,
  SECTION_KEYS,
  TARGETS,
  VM_DEFAULTS,
  VERSIONED_MACHINE_PATTERN,
  VM_KEYS,
} from '../../../extension/core/lab/vocabulary';

/** The parts of JSON Schema draft-07 this schema uses. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  definitions?: Record<string, Schema>;
}

const root = join(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/qemu-lab.schema.json'), 'utf8')) as Schema;

function definition(name: string): Schema {
  const found = schema.definitions?.[name];
  if (found === undefined) throw new Error(`no definition ${name}`);
  return found;
}

function deref(node: Schema): Schema {
  let current = node;
  for (let hops = 0; current.$ref !== undefined && hops < 10; hops++) {
    current = definition(current.$ref.replace('#/definitions/', ''));
  }
  return current;
}

/** The schema and everything it includes through allOf, dereferenced. */
function parts(node: Schema): Schema[] {
  const self = deref(node);
  return [self, ...(self.allOf ?? []).flatMap(parts)];
}

function property(owner: Schema, key: string): Schema {
  const found = owner.properties?.[key];
  if (found === undefined) throw new Error(`no property ${key}`);
  return found;
}

/** Every key and enumerated value of `value` the schema does not know, as paths. */
function unknownToSchema(value: unknown, node: Schema, path: string): string[] {
  const all = parts(node);
  const problems: string[] = [];
  if (Array.isArray(value)) {
    const items = all.find((part) => part.items !== undefined)?.items;
    value.forEach((item, i) => problems.push(...(items === undefined ? [`${path}[${i}]`] : unknownToSchema(item, items, `${path}[${i}]`))));
    return problems;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const known = all.find((part) => part.properties?.[key] !== undefined)?.properties?.[key];
      const additional = all.find((part) => typeof part.additionalProperties === 'object')?.additionalProperties;
      const next = known ?? (typeof additional === 'object' ? additional : undefined);
      if (next === undefined) problems.push(`${path}.${key}`);
      else problems.push(...unknownToSchema(child, next, `${path}.${key}`));
    }
    return problems;
  }
  const allowed = all.find((part) => part.enum !== undefined)?.enum;
  if (allowed !== undefined && !allowed.includes(value)) problems.push(`${path} = ${String(value)}`);
  return problems;
}

/** Every `properties` entry anywhere in the schema, with its path. */
function allProperties(node: Schema, path: string): [string, Schema][] {
  const found: [string, Schema][] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    found.push([`${path}.${key}`, child], ...allProperties(child, `${path}.${key}`));
  }
  for (const [key, child] of Object.entries(node.definitions ?? {})) found.push(...allProperties(child, `#${key}`));
  return found;
}

describe('schemas/qemu-lab.schema.json', () => {
  it('is draft-07', () => {
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false });
  });

  it.each([
    ['exampleLabText', exampleLabText],
    ['examples/hello.qemu-lab.yaml', readFileSync(join(root, 'examples/hello.qemu-lab.yaml'), 'utf8')],
    ['examples/course-report.qemu-lab.yaml', readFileSync(join(root, 'examples/course-report.qemu-lab.yaml'), 'utf8')],
    ['test/fixtures/lab/full.qemu-lab.yaml', readFileSync(join(root, 'test/fixtures/lab/full.qemu-lab.yaml'), 'utf8')],
  ])('knows every key and value of %s', (_name, text) => {
    expect(unknownToSchema(parseYaml(text), schema, '')).toEqual([]);
  });

  it('catches a key it does not know (the walker itself works)', () => {
    expect(unknownToSchema(parseYaml('vms: { vm1: { colour: red, accel: hvf } }'), schema, '')).toEqual(['.vms.vm1.colour', '.vms.vm1.accel = hvf']);
  });

  it('describes every key', () => {
    const undescribed = allProperties(schema, '').filter(([, node]) => (node.description ?? '').length < 10);
    expect(undescribed.map(([path]) => path)).toEqual([]);
  });

  it('has the validator\'s keys, no more and no fewer', () => {
    const keys = (node: Schema): string[] => Object.keys(deref(node).properties ?? {});
    expect(keys(schema)).toEqual([...SECTION_KEYS]);
    expect(keys(definition('host'))).toEqual([...HOST_KEYS]);
    expect(keys(definition('network'))).toEqual([...NETWORK_KEYS]);
    expect(keys(definition('vm'))).toEqual([...VM_KEYS]);
    expect(keys(definition('experiment'))).toEqual([...EXPERIMENT_KEYS]);
    expect(keys(definition('matrix'))).toEqual([...MATRIX_KEYS]);
    expect(keys(definition('migration'))).toEqual([...MIGRATION_KEYS]);
  });

  it('has the validator\'s values, defaults, limits and patterns', () => {
    const vm = definition('vm');
    const experiment = definition('experiment');
    const migration = definition('migration');
    expect(property(definition('host'), 'kind').enum).toEqual([...HOST_KINDS]);
    expect(property(definition('host'), 'kind').default).toBe(HOST_DEFAULTS.kind);
    expect(property(definition('network'), 'kind').enum).toEqual([...NETWORK_KINDS]);
    expect(property(definition('network'), 'kind').default).toBe(NETWORK_DEFAULTS.kind);
    expect(definition('accel').enum).toEqual([...ACCELS]);
    expect(property(vm, 'machine').anyOf?.[0]?.enum).toEqual([...MACHINES]);
    expect(property(vm, 'machine').anyOf?.[1]?.pattern).toBe(VERSIONED_MACHINE_PATTERN.source);
    expect(property(experiment, 'targets').items?.enum).toEqual([...TARGETS]);
    expect(property(experiment, 'benchmarks').items?.enum).toEqual([...BENCHMARKS]);
    expect(property(migration, 'capabilities').items?.enum).toEqual([...CAPABILITIES]);
    expect(property(vm, 'boot').enum).toEqual([...BOOT_DEVICES]);

    for (const [key, value] of Object.entries(VM_DEFAULTS)) expect(property(vm, key).default, `vm.${key}`).toEqual(value);
    for (const [key, value] of Object.entries(EXPERIMENT_DEFAULTS)) expect(property(experiment, key).default, `experiment.${key}`).toEqual(value);
    for (const [key, value] of Object.entries(MIGRATION_DEFAULTS)) expect(property(migration, key).default, `migration.${key}`).toEqual(value);

    const limits = (node: Schema): { min: number | undefined; max: number | undefined } => ({ min: node.minimum, max: node.maximum });
    expect(limits(property(vm, 'cpus'))).toEqual(LIMITS.cpus);
    expect(limits(property(vm, 'sshPort'))).toEqual(LIMITS.sshPort);
    expect(limits(property(definition('host'), 'port'))).toEqual(LIMITS.hostPort);
    expect(limits(property(experiment, 'repetitions'))).toEqual(LIMITS.repetitions);

    expect(definition('name').pattern).toBe(NAME_PATTERN.source);
    expect(definition('name').maxLength).toBe(NAME_MAX_LENGTH);
    expect(definition('nic').pattern).toBe(NIC_PATTERN.source);
    expect(property(definition('network'), 'bridge').pattern).toBe(BRIDGE_PATTERN.source);
    expect(definition('size').oneOf?.[1]?.pattern).toBe(SIZE_PATTERN.source);
    expect(definition('bandwidth').oneOf?.[1]?.pattern).toBe(BANDWIDTH_PATTERN.source);
    expect(definition('duration').oneOf?.[1]?.pattern).toBe(DURATION_PATTERN.source);
  });
});
