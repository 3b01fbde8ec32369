/**
 * JSON.parse for outside input, refusing numbers JSON.parse would turn into Infinity (`1e999`,
 * `-1e999`): JSON has no Infinity, and one in a measurement or a QMP reply would travel into
 * sums, charts and comparisons as a "number". Used by the readers of outside JSON.
 */

/** A JSON text holds a number beyond the double range. */
export class JsonNumberRangeError extends SyntaxError {
  constructor() {
    super('a number is out of range (JSON has no Infinity)');
    this.name = 'JsonNumberRangeError';
  }
}

/** JSON.parse that throws a {@link JsonNumberRangeError} for a number out of the double range. */
export function parseFiniteJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new JsonNumberRangeError();
    return value;
  });
}
