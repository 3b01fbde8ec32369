/**
 * Small type guards for values that cross the webview boundary (JSON from the other side):
 * composable checks, so every message and the view model it carries are validated by shape
 * before any code relies on their types.
 */

/** A check of an unknown value; narrows it to `T` when it passes. */
export type Check<T> = (value: unknown) => value is T;

export const isString: Check<string> = (value): value is string => typeof value === 'string';

/** A finite number (JSON has no NaN or Infinity; they arrive as null). */
export const isNumber: Check<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);

export const isBoolean: Check<boolean> = (value): value is boolean => typeof value === 'boolean';

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One of the given literal values. */
export function oneOf<const T extends readonly (string | number | boolean)[]>(...values: T): Check<T[number]> {
  return (value): value is T[number] => values.some((v) => v === value);
}

/** Absent (undefined, as a property JSON dropped) or passing `check`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value): value is T | undefined => value === undefined || check(value);
}

/** null or passing `check`. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value): value is T | null => value === null || check(value);
}

/** An array whose every element passes `check`. */
export function arrayOf<T>(check: Check<T>): Check<readonly T[]> {
  return (value): value is readonly T[] => Array.isArray(value) && value.every((item) => check(item));
}

type Shape = Readonly<Record<string, Check<unknown>>>;
type ShapeType<S extends Shape> = { readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never };

/**
 * An object with (at least) the given properties, each passing its check. Properties not named
 * are allowed and ignored.
 */
export function objectOf<S extends Shape>(shape: S): Check<ShapeType<S>> {
  return (value): value is ShapeType<S> => isRecord(value) && Object.entries(shape).every(([key, check]) => check(value[key]));
}
