/**
 * The one way QEMU Lab replaces a file on this machine (records, reports, charts, run logs,
 * memos): a failure or a crash never leaves a half-written file or truncates the one being
 * replaced, and nobody else can steer the write.
 *
 * - The temporary file has a random name beside the target and is created exclusively (`wx`,
 *   O_CREAT|O_EXCL): a symlink or file planted at a guessable name makes the write fail instead
 *   of writing through it.
 * - It is written in full, `fsync`ed, renamed over the target (atomic within a directory), and
 *   the directory is `fsync`ed so the rename itself survives a crash.
 * - On failure the temporary file is removed and the target is untouched.
 *
 * Remote hosts do the same with `mktemp` and `sync` (see RemoteHostSystem.writeTextAtomically).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file to write: absolute path and content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** Options of {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /**
   * Mode of the written file. Default: the mode of the file it replaces, else 0644. State
   * records pass 0600.
   */
  readonly mode?: number;
  /** Mode of directories created on the way (default 0777 minus the umask). */
  readonly directoryMode?: number;
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is synced already.
  } finally {
    await handle.close();
  }
}

/** Writes one file atomically (see the module comment), creating its directory when missing. */
export async function writeFileAtomically(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, ...(options.directoryMode === undefined ? {} : { mode: options.directoryMode }) });
  const mode =
    options.mode ??
    (await stat(path).then(
      (s) => s.mode & 0o777,
      () => 0o644,
    ));
  const temporary = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      // The umask may have narrowed the mode given to open(); the caller's mode is what counts.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/**
 * Writes several files, each atomically, in order (a report's charts before the report that
 * refers to them). Stops at the first failure: files already written stay, later ones are not
 * touched.
 */
export async function writeFilesAtomically(files: readonly OutputFile[], options: AtomicWriteOptions = {}): Promise<void> {
  for (const file of files) await writeFileAtomically(file.path, file.content, options);
}
