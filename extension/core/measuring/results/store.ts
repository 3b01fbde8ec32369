/**
 * The result store: `<dir>/.qemu-lab/results/results.jsonl`, one {@link ResultRecord} per line,
 * appended to and never rewritten, so the whole history stays.
 *
 * Writing: each record is one complete line appended by {@link appendLine} (one `write(2)` with
 * `O_APPEND`, then `fsync`): appends never interleave, never truncate, and a crash can at worst
 * leave the last line unfinished.
 *
 * Reading: a line that is not a valid record (corrupt, cut short, from a newer QEMU Lab) is
 * reported with its line number and skipped; it never stops the others from being read.
 */
import { join } from 'node:path';
import { type JsonlContents, JsonlFile, jsonlLine, parseJsonl } from '../../infrastructure/files/jsonl-file';
import { JsonNumberRangeError, parseFiniteJson } from '../../infrastructure/support/finite-json';
import { checkResultRecord, type ResultRecord } from './record';
import { ResultStoreError } from './errors';

/** The directory of the store under a lab directory. */
export function resultsDirectory(labDirectory: string): string {
  return join(labDirectory, '.qemu-lab', 'results');
}

/** The store file under a lab directory: `<dir>/.qemu-lab/results/results.jsonl`. */
export function resultsFilePath(labDirectory: string): string {
  return join(resultsDirectory(labDirectory), 'results.jsonl');
}

/** A line of the store that could not be read. */
export interface StoreProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly message: string;
}

/** What {@link readResults} found. */
export interface StoreContents {
  readonly path: string;
  readonly records: readonly ResultRecord[];
  readonly problems: readonly StoreProblem[];
}

/**
 * Appends one record to the store of `labDirectory`, creating the directories and the file as
 * needed. One `write` of one whole line, O_APPEND, then fsync. Throws a {@link ResultStoreError}
 * when the store cannot be written.
 */
export async function appendResult(labDirectory: string, record: ResultRecord): Promise<string> {
  const path = resultsFilePath(labDirectory);
  let line: string;
  try {
    line = jsonlLine(record);
  } catch (error) {
    throw new ResultStoreError(`The result could not be turned into JSON: ${(error as Error).message}.`, { cause: error });
  }
  if (line.includes('\n')) throw new ResultStoreError('A result record must be a single line of JSON.');
  try {
    const { bytesWritten, bytes } = await resultsFile(path).append(line);
    if (bytesWritten !== bytes) {
      throw new ResultStoreError(`Only ${bytesWritten} of ${bytes} bytes of the result reached ${path} (disk full?).`, {
        hint: 'The partial line will be reported and skipped when the results are read; free some space and store the result again.',
      });
    }
  } catch (error) {
    if (error instanceof ResultStoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ResultStoreError(`Cannot write the result store ${path}: ${(error as Error).message}`, {
      hint: code === 'EACCES' || code === 'EROFS' ? 'Check that the lab directory is writable.' : undefined,
      cause: error,
    });
  }
  return path;
}

/**
 * Reads every record of the store of `labDirectory`. A missing store is empty. Lines that are
 * not records are listed in `problems` with their line numbers and skipped; blank lines are
 * ignored. Throws a {@link ResultStoreError} only when the file exists but cannot be read.
 */
export async function readResults(labDirectory: string): Promise<StoreContents> {
  const path = resultsFilePath(labDirectory);
  let contents: JsonlContents | undefined;
  try {
    contents = await resultsFile(path).read(parseFiniteJson);
  } catch (error) {
    throw new ResultStoreError(`Cannot read the result store ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (contents === undefined) return { path, records: [], problems: [] };
  return { path, ...resultsOf(contents) };
}

/** The records and problems of a store's text (see {@link readResults}). */
export function parseResultLines(text: string): { records: ResultRecord[]; problems: StoreProblem[] } {
  return resultsOf(parseJsonl(text, parseFiniteJson));
}

function resultsFile(path: string): JsonlFile {
  return new JsonlFile(path, 0o644);
}

/** Checks each value is a record; every line that is not one is a problem, in line order. */
function resultsOf(contents: JsonlContents): { records: ResultRecord[]; problems: StoreProblem[] } {
  const records: ResultRecord[] = [];
  const problems: StoreProblem[] = contents.bad.map(({ line, error, unfinished }) => ({
    line,
    message:
      error instanceof JsonNumberRangeError
        ? `${error.message}; skipped`
        : unfinished
          ? 'unfinished last line (a write was cut short); skipped'
          : 'not valid JSON (corrupt line); skipped',
  }));
  for (const { line, value } of contents.values) {
    const checked = checkResultRecord(value);
    if (checked.ok) records.push(checked.record);
    else problems.push({ line, message: `not a result record: ${checked.problem}; skipped` });
  }
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}
