import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The directory of captured benchmark output (see its SOURCES.md). */
export const fixtureDirectory = join(__dirname, '../../fixtures/bench');

/** A captured output, as text. */
export function fixture(name: string): string {
  return readFileSync(join(fixtureDirectory, name), 'utf8');
}

/** Every captured output file (not SOURCES.md). */
export function fixtureNames(): string[] {
  return readdirSync(fixtureDirectory)
    .filter((name) => name !== 'SOURCES.md')
    .sort();
}

/** Asserts that every number anywhere in a value is finite (no NaN, no Infinity). */
export function expectAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
  }
}
