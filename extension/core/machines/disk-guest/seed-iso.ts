/**
 * A NoCloud seed as a small ISO 9660 image labelled `cidata` (Rock Ridge and Joliet names, as
 * cloud-localds makes it), made with genisoimage on this machine. The guest sees it as a
 * read-only virtio disk: an ordinary file-backed drive, which live migration carries (unlike a
 * vvfat folder, which blocks migration).
 */
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VmError } from '../../errors';
import { runProgram } from '../../infrastructure/hosts/system/run-program';
import type { SeedFiles } from './cloud-init-seed';

/** What to install when genisoimage is missing. */
export const GENISOIMAGE_HINT = 'apt-get install genisoimage';

/** Writes `files` as a `cidata` ISO at `path` (0600: it holds the guests' host key), replacing it in one rename. */
export async function writeSeedIso(path: string, files: SeedFiles, signal?: AbortSignal): Promise<void> {
  const work = await mkdtemp(join(dirname(path), '.seed-'));
  try {
    const names = Object.keys(files) as (keyof SeedFiles)[];
    await Promise.all(names.map((name) => writeFile(join(work, name), files[name], { mode: 0o600 })));
    const iso = join(work, 'seed.iso');
    const args = ['-quiet', '-output', iso, '-volid', 'cidata', '-joliet', '-rock', ...names.map((n) => join(work, n))];
    const result = await runProgram('genisoimage', args, { check: false, signal, missingHint: GENISOIMAGE_HINT });
    if (result.exitCode !== 0) {
      throw new VmError(`genisoimage could not write the cloud-init seed: ${result.stderr.trim()}`, { hint: `Check that genisoimage is intact: ${GENISOIMAGE_HINT}` });
    }
    await chmod(iso, 0o600);
    await rename(iso, path);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
