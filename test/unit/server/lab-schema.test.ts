import { describe, expect, it } from 'vitest';
import { formatDefault, keySchema, keySpec, keysOf, shapeAt, type LabShape } from '../../../extension/server/lab-schema';

const SHAPES: LabShape[] = ['root', 'host', 'network', 'vm', 'experiment', 'matrix', 'migration'];

describe('lab-schema', () => {
  it('knows what every key of the vocabulary holds, and the schema describes each one', () => {
    for (const shape of SHAPES) {
      for (const key of keysOf(shape)) {
        expect(keySpec(shape, key), `${shape}.${key}: add it to SPECS in extension/server/lab-schema.ts`).toBeDefined();
        expect(keySchema(shape, key)?.description, `${shape}.${key}`).toMatch(/\w/);
      }
    }
  });

  it('maps paths to the kind of mapping there', () => {
    expect(shapeAt([])).toBe('root');
    expect(shapeAt(['vms'])).toBe('section');
    expect(shapeAt(['vms', 'vm1'])).toBe('vm');
    expect(shapeAt(['experiments', 'e', 'matrix'])).toBe('matrix');
    expect(shapeAt(['vms', 'vm1', 'matrix'])).toBeUndefined();
    expect(shapeAt(['nonsense', 'x'])).toBeUndefined();
    expect(keySpec('vm', 'constructor')).toBeUndefined();
    expect(keySchema('vm', '__proto__')).toBeUndefined();
  });

  it('writes defaults as a lab file would', () => {
    expect(formatDefault('1G')).toBe('1G');
    expect(formatDefault(['sysbench-cpu', 'iperf3'])).toBe('[sysbench-cpu, iperf3]');
    expect(formatDefault({})).toBe('{}');
    expect(formatDefault(false)).toBe('false');
    expect(formatDefault(undefined)).toBeUndefined();
  });
});
