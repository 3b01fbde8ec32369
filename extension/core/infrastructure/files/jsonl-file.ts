/**
 * A JSONL file: one JSON value per line, only ever appended to (by {@link appendLine}), read
 * back line by line so that one bad line — a torn last line from a writer that died, a corrupt
 * one — is reported with its number and never stops the others. What a line must hold, and how
 * problems are worded, is the caller's (the result store, the migration store).
 */
import { readFile } from 'node:fs/promises';
import { type AppendedLine, appendLine } from './append-line';

/** A line that parsed, with its 1-based number. */
export interface JsonlValue {
  readonly line: number;
  readonly value: unknown;
}

/** A line that did not parse. */
export interface JsonlBadLine {
  /** 1-based line number in the file. */
  readonly line: number;
  /** What the parser threw. */
  readonly error: unknown;
  /** It is the file's last line and has no newline: a write was cut short, not corruption. */
  readonly unfinished: boolean;
}

/** What a JSONL text holds; blank lines are neither. */
export interface JsonlContents {
  readonly values: readonly JsonlValue[];
  readonly bad: readonly JsonlBadLine[];
}

/** Turns one line into a value; throws when it is not one. */
export type JsonlParse = (line: string) => unknown;

/**
 * Splits JSONL text into values and bad lines. Lines are trimmed; blank lines are skipped.
 *
 * @param parse the JSON parser (default `JSON.parse`), e.g. one that refuses out-of-range numbers.
 */
export function parseJsonl(text: string, parse: JsonlParse = JSON.parse): JsonlContents {
  const values: JsonlValue[] = [];
  const bad: JsonlBadLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      values.push({ line: index + 1, value: parse(line) });
    } catch (error) {
      bad.push({ line: index + 1, error, unfinished: index === lines.length - 1 });
    }
  });
  return { values, bad };
}

/**
 * One value as one JSONL line (without its newline).
 *
 * @throws TypeError when `value` has no JSON form (a cycle, a BigInt, undefined), as JSON.stringify does.
 */
export function jsonlLine(value: unknown): string {
  const line = JSON.stringify(value) as string | undefined;
  if (line === undefined) throw new TypeError('The value has no JSON form.');
  return line;
}

/** A JSONL file at `path`, created with `mode` on the first append. */
export class JsonlFile {
  constructor(
    readonly path: string,
    private readonly mode: number,
  ) {}

  /**
   * Appends one line (see {@link jsonlLine}) by {@link appendLine}: one `write(2)` with O_APPEND,
   * then fsync. Throws what the file system throws; a short write (disk full) is in the result.
   */
  append(line: string): Promise<AppendedLine> {
    return appendLine(this.path, line, { mode: this.mode });
  }

  /**
   * Reads the file (see {@link parseJsonl}); undefined when there is none. Throws what the file
   * system throws otherwise.
   */
  async read(parse: JsonlParse = JSON.parse): Promise<JsonlContents | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseJsonl(text, parse);
  }
}
