/**
 * What every fuzz property of a parser of outside input checks: it returns, or throws an error
 * of the project's tree (never a TypeError, RangeError, SyntaxError…), and whatever it returns
 * holds no NaN or infinite number.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { QemuLabError } from '../../extension/core/errors';

/** Every number in `value`, with its path, walking objects, arrays, Maps and Sets. */
export function numbersIn(value: unknown, path = '$', seen = new Set<unknown>()): { path: string; value: number }[] {
  if (typeof value === 'number') return [{ path, value }];
  if (typeof value !== 'object' || value === null || seen.has(value) || Buffer.isBuffer(value)) return [];
  seen.add(value);
  const entries: [string, unknown][] =
    value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v]) : value instanceof Set ? [...value].map((v, i) => [String(i), v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => numbersIn(child, `${path}.${key}`, seen));
}

/** Fails unless every number in `value` is finite. */
export function expectFiniteNumbers(value: unknown): void {
  for (const found of numbersIn(value)) expect(Number.isFinite(found.value), `${found.path} is ${found.value}`).toBe(true);
}

/** Runs `parse`; a throw must be a {@link QemuLabError}; a result must hold only finite numbers. */
export function expectParsedOrRefused<T>(parse: () => T): T | undefined {
  let result: T;
  try {
    result = parse();
  } catch (error) {
    expect(error, String(error instanceof Error ? error.stack : error)).toBeInstanceOf(QemuLabError);
    return undefined;
  }
  expectFiniteNumbers(result);
  return result;
}

/** Pieces that break number parsing and line structure, spliced into captured outputs. */
const SPLICES = [
  '0', '1', '-1', '.', '..', '1e999', '-1e999', '1e-999', '99999999999999999999999', 'NaN', 'nan', 'Infinity', 'inf', '-',
  ' ', '\n', '\r\n', '\t', ':', ',', '[', ']', '{', '}', '"', '""', 'null', 'true', '[]', '{}', 'sec', 'Mbits/sec', 'GBytes',
  'KBytes', 'MiB', 'per second', 'events', '(', ')', '%', '/', '\u0000', 'é', '😀',
];

/**
 * A seed with up to `maxEdits` random cuts and insertions (of `pieces`, by default
 * {@link SPLICES}, or random text).
 */
export function mutated(seeds: readonly string[], maxEdits = 6, pieces: readonly string[] = SPLICES): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 8 }), fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 }))), {
        minLength: 1,
        maxLength: maxEdits,
      }),
    )
    .map(([seed, edits]) => {
      let text = seed;
      for (const [at, cut, insert] of edits) {
        const offset = at % (text.length + 1);
        text = text.slice(0, offset) + insert + text.slice(offset + cut);
      }
      return text;
    });
}

/** A JSON value, including numbers JSON.parse turns into Infinity (`1e999`) when written out with {@link jsonTextOf}. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('1e999', '-1e999', 'NaN').map((text) => ({ [HUGE]: text })),
);

const HUGE = '__fuzz_raw_number__';

/** JSON text of `value`, writing `{ [HUGE]: text }` as the bare number text (e.g. `1e999`). */
export function jsonTextOf(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/\{"__fuzz_raw_number__":"([^"]*)"\}/g, '$1');
}

/** `object` with the value at a random key path replaced by a hostile one; as JSON text. */
export function withReplacedField(object: unknown): fc.Arbitrary<string> {
  const paths = keyPaths(object);
  return fc.tuple(fc.constantFrom(...paths), hostileJsonValue).map(([path, replacement]) => jsonTextOf(replaced(object, path, replacement)));
}

function keyPaths(value: unknown, prefix: readonly string[] = []): (readonly string[])[] {
  const here = [prefix];
  if (typeof value !== 'object' || value === null) return here;
  return [...here, ...Object.entries(value).flatMap(([key, child]) => keyPaths(child, [...prefix, key]))];
}

function replaced(value: unknown, path: readonly string[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
  (copy as Record<string, unknown>)[head] = replaced((value as Record<string, unknown>)[head], rest, replacement);
  return copy;
}
