/**
 * Sizes, bandwidths and durations as a lab file writes them: `1G`, `1024M`, `512K`, `2T`, plain
 * bytes, `1GiB`; bandwidths in bytes per second (`1G`, `100M/s`); durations `300ms`, `2s`, or a
 * plain number of milliseconds. Units are binary (K = 1024), as QEMU reads them.
 */
import { quote } from './wording';

/** A parsed quantity, or a message saying what is wrong and what to write instead. */
export type QuantityResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/**
 * A whole number of bytes (`1073741824`), or a number with a binary unit K, M, G or T (any case),
 * optionally followed by `iB`: `512K`, `1024M`, `1.5G`, `1GiB`. The schema uses the same pattern.
 */
export const SIZE_PATTERN = /^(?:[0-9]+|[0-9]+(?:\.[0-9]+)?[KMGTkmgt](?:iB)?)$/;
/** A {@link SIZE_PATTERN} size optionally followed by `/s`. */
export const BANDWIDTH_PATTERN = /^(?:[0-9]+|[0-9]+(?:\.[0-9]+)?[KMGTkmgt](?:iB)?)(?:\/s)?$/;
/** A whole number of milliseconds, or a number followed by `ms` or `s`. */
export const DURATION_PATTERN = /^(?:[0-9]+|[0-9]+(?:\.[0-9]+)?(?:ms|s))$/;

const UNIT_FACTORS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Parses a memory size (see {@link SIZE_PATTERN}) into bytes. */
export function parseSize(input: unknown): QuantityResult {
  return parseBytes(input, SIZE_PATTERN, (shown) => `${shown} is not a size: use 1G or 1024M`);
}

/** Parses a migration bandwidth (see {@link BANDWIDTH_PATTERN}) into bytes per second. */
export function parseBandwidth(input: unknown): QuantityResult {
  return parseBytes(
    input,
    BANDWIDTH_PATTERN,
    (shown) => `${shown} is not a bandwidth: use bytes per second like 100M or 1G`,
  );
}

/** Parses a duration (see {@link DURATION_PATTERN}) into milliseconds. */
export function parseDuration(input: unknown): QuantityResult {
  const fail = (): QuantityResult => ({
    ok: false,
    message: `${quote(String(input))} is not a duration: use 300ms or 2s`,
  });
  if (typeof input === 'number') return wholeNumber(input) ?? fail();
  if (typeof input !== 'string' || !DURATION_PATTERN.test(input)) return fail();
  const seconds = input.endsWith('ms') ? false : input.endsWith('s');
  const number = Number.parseFloat(input);
  const value = Math.round(seconds ? number * 1000 : number);
  return Number.isSafeInteger(value) ? { ok: true, value } : fail();
}

function parseBytes(input: unknown, pattern: RegExp, describe: (shown: string) => string): QuantityResult {
  const fail = (): QuantityResult => ({ ok: false, message: describe(quote(String(input))) });
  if (typeof input === 'number') return wholeNumber(input) ?? fail();
  if (typeof input !== 'string' || !pattern.test(input)) return fail();
  const match = /^([0-9.]+)([A-Za-z])?/.exec(input);
  const number = Number.parseFloat(match?.[1] ?? '');
  const factor = match?.[2] === undefined ? 1 : (UNIT_FACTORS[match[2].toLowerCase()] ?? Number.NaN);
  const value = Math.round(number * factor);
  return Number.isSafeInteger(value) ? { ok: true, value } : fail();
}

/** A YAML number without a unit: fine if whole and not negative. */
function wholeNumber(input: number): QuantityResult | undefined {
  return Number.isSafeInteger(input) && input >= 0 ? { ok: true, value: input } : undefined;
}

/** Bytes as a short binary size for people: `1G`, `512M`, `23.4G`. */
export function formatSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = Number.isInteger(value) || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)}${units[unit]}`;
}
