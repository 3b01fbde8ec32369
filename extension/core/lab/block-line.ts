/**
 * One line of a lab file's block structure, read from its text: `- ` list indicators, then maybe
 * a `key:` (plain or quoted), then where the value starts. Tolerant: any text reads as something.
 */
import type { YamlLine } from './yaml-lines';

/** A `key:` written on a line. */
export interface KeyToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Offset of the colon. */
  readonly colon: number;
}

/** The block structure at the start of a line: `- ` indicators, then maybe `key:`. */
export interface BlockLine {
  readonly dashes: number;
  readonly key: KeyToken | undefined;
  /** Offset of the value (after the colon, or after the dashes), skipping spaces. */
  readonly valueStart: number;
}

/** Reads `- ` indicators and a `key:` at the start of a line. */
export function readBlockLine(text: string, line: YamlLine): BlockLine {
  const end = line.contentEnd;
  let at = line.start + line.indent;
  let dashes = 0;
  while (at < end && text[at] === '-' && (at + 1 >= end || text[at + 1] === ' ' || text[at + 1] === '\t')) {
    dashes++;
    at++;
    while (at < end && (text[at] === ' ' || text[at] === '\t')) at++;
  }
  const key = readKey(text, at, end);
  let valueStart = key === undefined ? at : key.colon + 1;
  while (valueStart < end && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
  return { dashes, key, valueStart };
}

/** A `key:` at `at` (before `end`), plain or quoted; `undefined` when the text there is no key. */
function readKey(text: string, at: number, end: number): KeyToken | undefined {
  const first = text[at];
  if (first === undefined || at >= end || first === '{' || first === '[' || first === '#') return undefined;
  if (first === '"' || first === "'") {
    const close = closingQuote(text, at, end);
    if (close === -1) return undefined;
    let colon = close + 1;
    while (colon < end && text[colon] === ' ') colon++;
    if (text[colon] !== ':' || !(colon + 1 >= end || /\s/.test(text[colon + 1] ?? ''))) return undefined;
    return { text: unquote(text.slice(at, close + 1)), start: at, end: close + 1, colon };
  }
  for (let i = at; i < end; i++) {
    if (text[i] === ':' && (i + 1 >= end || text[i + 1] === ' ' || text[i + 1] === '\t')) {
      let keyEnd = i;
      while (keyEnd > at && (text[keyEnd - 1] === ' ' || text[keyEnd - 1] === '\t')) keyEnd--;
      return { text: text.slice(at, keyEnd), start: at, end: keyEnd, colon: i };
    }
  }
  return undefined;
}

/** Offset of the quote closing the quoted scalar opening at `at`, or -1. */
export function closingQuote(text: string, at: number, end: number): number {
  const quote = text[at];
  for (let i = at + 1; i < end; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') i++;
    else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** The text of a quoted scalar (`"a\tb"` is a, tab, b); anything else as it is. */
export function unquote(token: string): string {
  if (token.length >= 2 && token.startsWith("'") && token.endsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
  if (token.length >= 2 && token.startsWith('"') && token.endsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      return token.slice(1, -1);
    }
  }
  return token;
}
