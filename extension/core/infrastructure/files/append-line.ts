/**
 * The one way QEMU Lab adds to a line file (results.jsonl, migrations.jsonl, known_hosts): it
 * only ever appends, never rewrites or truncates what is there.
 *
 * Each line is one `write(2)` on a descriptor opened with `O_APPEND` (never `O_TRUNC`), then
 * `fsync`. Appends from several processes therefore never interleave within a line (Linux takes
 * the inode lock for the whole of an O_APPEND write to a regular file), and a crash can at worst
 * leave the last line unfinished; earlier lines are never touched. If the file does not end in a
 * newline (an earlier writer died mid-line), the new line starts on a fresh line so it is not
 * glued to the broken one. (That check can catch another process's append while it is landing
 * and add an empty line; readers skip empty lines.)
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Options of {@link appendLine}. */
export interface AppendLineOptions {
  /** Mode of the file when it is created. */
  readonly mode: number;
  /** Mode of directories created on the way (default 0777 minus the umask). */
  readonly directoryMode?: number;
}

/** What {@link appendLine} wrote. */
export interface AppendedLine {
  /** Bytes that reached the file, and how many were meant to. Fewer means the disk is full. */
  readonly bytesWritten: number;
  readonly bytes: number;
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is synced already.
  } finally {
    await handle.close();
  }
}

/**
 * Appends `line` (without its newline; it must not contain one) to `path`, creating the
 * directories and the file as needed. Throws what the file system throws.
 */
export async function appendLine(path: string, line: string, options: AppendLineOptions): Promise<AppendedLine> {
  if (line.includes('\n')) throw new RangeError('appendLine takes one line, without a newline.');
  const directory = dirname(path);
  const created = await mkdir(directory, { recursive: true, ...(options.directoryMode === undefined ? {} : { mode: options.directoryMode }) });
  // 'a+' = O_APPEND | O_CREAT | O_RDWR: appends go to the end whatever other writers do; reading lets us check the last byte.
  const handle = await open(path, 'a+', options.mode);
  let fileWasEmpty = false;
  let result: AppendedLine;
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
    result = { bytesWritten, bytes: bytes.length };
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A new file or directory is durable only once its directory entry is.
  if (created !== undefined || fileWasEmpty) await syncDirectory(directory);
  return result;
}
