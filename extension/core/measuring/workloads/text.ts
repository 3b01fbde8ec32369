/**
 * Helpers shared by the benchmark output parsers: cleaning pasted text, reading numbers that must
 * be finite, and naming what a text looks like when it is not what a parser expected.
 */
import { BenchmarkError } from './errors';

/**
 * Output as it was pasted or captured, made plain: CRLF and lone CR become LF, terminal colour
 * and cursor escapes are removed. Prompt lines, `^C` and trailing junk are left for the parsers,
 * which only look for the lines they know.
 */
export function cleanText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- ESC starts the terminal escapes we remove
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n');
}

/**
 * A number read from tool output. Throws a {@link BenchmarkError} naming the field when the text
 * is not a finite number, so no parser ever returns NaN or Infinity.
 */
export function finiteNumber(text: string | undefined, field: string, tool: string): number {
  const value = text === undefined ? Number.NaN : Number(text.trim());
  if (!Number.isFinite(value)) {
    throw new BenchmarkError(`${tool} output has ${field} "${text ?? ''}", which is not a number.`);
  }
  return value;
}

/** Like {@link finiteNumber} for a value that came out of JSON, where it must already be a number. */
export function finiteJsonNumber(value: unknown, field: string, tool: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BenchmarkError(`${tool} output has ${field} = ${JSON.stringify(value) ?? 'nothing'}, expected a finite number.`);
  }
  return value;
}

/** The first non-empty line of a text, shortened for a message. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}…` : line;
}

/**
 * A short description of what a text looks like, for messages that say "expected X, found Y".
 * Cheap sniffing only; {@link detectTool} in detect.ts makes the real decision.
 */
export function describeFound(text: string): string {
  const clean = cleanText(text);
  if (clean.trim() === '') return 'empty text';
  if (/Running memory speed test|MiB transferred/.test(clean)) return 'sysbench memory output';
  if (/Prime numbers limit|Maximum prime number checked|CPU speed:/.test(clean)) return 'sysbench cpu output';
  if (/^sysbench \d/m.test(clean)) return 'sysbench output of another test';
  if (/"start"\s*:/.test(clean) && /"iperf 3/.test(clean)) return 'iperf3 JSON output';
  if (looksLikeIperf3Text(clean)) return 'iperf3 text output (not --json)';
  if (/Client connecting to|Server listening on \w+ port|\bsec\s+[\d.]+\s+[KMGT]?Bytes/.test(clean)) return 'iperf 2 output';
  if (/^\s*[{[]/.test(clean)) return 'JSON that is not iperf3 output';
  return `text starting with "${firstLine(clean)}"`;
}

/**
 * True for iperf3's human-readable output, which resembles iperf 2's: iperf3 says
 * "Connecting to host", ends summaries with "sender"/"receiver" and prints "iperf Done.".
 */
export function looksLikeIperf3Text(text: string): boolean {
  return (
    /^Connecting to host /m.test(text) ||
    /^iperf Done\.$/m.test(text) ||
    /\bsec\b.*\s(?:sender|receiver)\s*$/m.test(text) ||
    /^Server listening on \d+/m.test(text) ||
    (/^\[\s*\d+\s*\]\s+\d+\.\d{2}-\d+\.\d{2}\s+sec\b/m.test(text) && /^- - - - -/m.test(text))
  );
}

/** Binary (1024-based) factors for the size units sysbench and iperf print. */
const BINARY: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
/** Decimal (1000-based) exponents for the rate units iperf prints in bits. */
const DECIMAL: Readonly<Record<string, number>> = { '': 0, K: 3, M: 6, G: 9, T: 12 };

/** The binary factor of a unit prefix (K, M, G, T or none). */
export function binaryFactor(prefix: string): number {
  return BINARY[prefix.toUpperCase()] ?? Number.NaN;
}

/**
 * A decimal number as printed (`17.1`) scaled by a decimal unit prefix (K, M, G, T or none), read
 * as `17.1e9` so that 17.1 Gbits is exactly 17100000000 and not 17100000000.000002.
 */
export function scaleDecimal(digits: string, prefix: string): number {
  const exponent = DECIMAL[prefix.toUpperCase()];
  return exponent === undefined ? Number.NaN : Number(`${digits}e${exponent}`);
}

/** A bit rate for people: `3.77 Gbit/s`, `943 Mbit/s`, `12.5 kbit/s`. */
export function formatBitsPerSecond(bitsPerSecond: number): string {
  const units: readonly [number, string][] = [
    [1e12, 'Tbit/s'],
    [1e9, 'Gbit/s'],
    [1e6, 'Mbit/s'],
    [1e3, 'kbit/s'],
  ];
  for (const [factor, unit] of units) {
    if (Math.abs(bitsPerSecond) >= factor) return `${threeDigits(bitsPerSecond / factor)} ${unit}`;
  }
  return `${threeDigits(bitsPerSecond)} bit/s`;
}

/** Three significant digits, but never fewer than the integer part: 3.77, 94.3, 943, 12345. */
export function threeDigits(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 99.95) return value.toFixed(0);
  if (abs >= 9.995) return value.toFixed(1);
  return value.toFixed(2);
}
