/**
 * Writing export files so that a failure never leaves a half-written file or truncates the one
 * being replaced: each file is written in full to a temporary file beside it, synced, and renamed
 * over the target (rename is atomic within a directory). On failure the temporary file is
 * removed and the target is untouched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file to write: absolute path and content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** Writes one file atomically (see the module comment); keeps the mode of a file it replaces. */
export async function writeFileAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes several files, each atomically, in order (a report's charts before the report that
 * refers to them). Stops at the first failure: files already written stay, later ones are not
 * touched.
 */
export async function writeFilesAtomically(files: readonly OutputFile[]): Promise<void> {
  for (const file of files) await writeFileAtomically(file.path, file.content);
}
