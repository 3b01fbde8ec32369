/**
 * The result store: `<dir>/.qemu-lab/results/results.jsonl`, one {@link ResultRecord} per line,
 * appended to and never rewritten, so the whole history stays.
 *
 * Writing: each record is one complete line written with a single `write(2)` on a descriptor
 * opened with `O_APPEND`, then `fsync`. Appends from several processes therefore never interleave
 * within a line (Linux takes the inode lock for the whole of an O_APPEND write to a regular file),
 * and a crash can at worst leave the last line unfinished; earlier lines are never touched. If
 * the file does not end in a newline (an earlier writer died mid-line), the new record starts on
 * a fresh line so it is not glued to the broken one. (That check can catch another process's
 * append while it is landing and add an empty line; empty lines are skipped when reading.)
 *
 * Reading: a line that is not a valid record (corrupt, cut short, from a newer QEMU Lab) is
 * reported with its line number and skipped; it never stops the others from being read.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonNumberRangeError, parseFiniteJson } from '../finite-json';
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

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the file itself is synced already.
  } finally {
    await handle.close();
  }
}

/**
 * Appends one record to the store of `labDirectory`, creating the directories and the file as
 * needed. One `write` of one whole line, O_APPEND, then fsync. Throws a {@link ResultStoreError}
 * when the store cannot be written.
 */
export async function appendResult(labDirectory: string, record: ResultRecord): Promise<string> {
  const directory = resultsDirectory(labDirectory);
  const path = resultsFilePath(labDirectory);
  let line: string;
  try {
    line = JSON.stringify(record);
  } catch (error) {
    throw new ResultStoreError(`The result could not be turned into JSON: ${(error as Error).message}.`, { cause: error });
  }
  if (line.includes('\n')) throw new ResultStoreError('A result record must be a single line of JSON.');
  try {
    const created = await mkdir(directory, { recursive: true });
    // 'a+' = O_APPEND | O_CREAT | O_RDWR: appends go to the end whatever other writers do; reading lets us check the last byte.
    const handle = await open(path, 'a+', 0o644);
    let fileWasEmpty = false;
    try {
      const { size } = await handle.stat();
      fileWasEmpty = size === 0;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      const bytes = Buffer.from(`${prefix}${line}\n`, 'utf8');
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
      if (bytesWritten !== bytes.length) {
        throw new ResultStoreError(`Only ${bytesWritten} of ${bytes.length} bytes of the result reached ${path} (disk full?).`, {
          hint: 'The partial line will be reported and skipped when the results are read; free some space and store the result again.',
        });
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A new file or directory is durable only once its directory entry is.
    if (created !== undefined || fileWasEmpty) await syncDirectory(directory);
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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, records: [], problems: [] };
    throw new ResultStoreError(`Cannot read the result store ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { path, ...parseResultLines(text) };
}

/** The records and problems of a store's text (see {@link readResults}). */
export function parseResultLines(text: string): { records: ResultRecord[]; problems: StoreProblem[] } {
  const records: ResultRecord[] = [];
  const problems: StoreProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = parseFiniteJson(line);
    } catch (error) {
      problems.push({
        line: index + 1,
        message:
          error instanceof JsonNumberRangeError
            ? `${error.message}; skipped`
            : isLast
              ? 'unfinished last line (a write was cut short); skipped'
              : 'not valid JSON (corrupt line); skipped',
      });
      return;
    }
    const checked = checkResultRecord(value);
    if (checked.ok) records.push(checked.record);
    else problems.push({ line: index + 1, message: `not a result record: ${checked.problem}; skipped` });
  });
  return { records, problems };
}
