/**
 * What "New VM from Image…" writes into a lab file: a VM named after its image, on its own
 * overlay of it, with cloud-init (the defaults of a disk guest). Pure.
 */
import { basename, isAbsolute, relative, sep } from 'node:path';
import { NAME_MAX_LENGTH, NAME_PATTERN } from './vocabulary';

/**
 * A VM name for the image at `imagePath` that the lab does not use yet: its file name without
 * the usual disk-image extensions, in the characters a lab name takes (`debian-12-genericcloud`).
 */
export function vmNameForImage(imagePath: string, taken: ReadonlySet<string>): string {
  const stem = basename(imagePath)
    .replace(/\.(qcow2|img|raw|disk)$/i, '')
    .replace(/-amd64$|-x86_64$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, NAME_MAX_LENGTH - 4);
  const base = NAME_PATTERN.test(stem) ? stem : 'vm';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A path as a YAML scalar: plain when that reads back the same, else double-quoted (JSON's quoting is YAML's). */
export function yamlPath(path: string): string {
  return /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/.test(path) ? path : JSON.stringify(path);
}

/**
 * The keys of the new VM: its image (relative to the lab file's folder when it is inside it, as
 * a lab file kept in git wants), 1 GiB of memory and a 10 GiB overlay for the guest to grow into.
 */
export function diskVmEntryBody(imagePath: string, labDirectory: string): string[] {
  return [`image: ${yamlPath(labRelativePath(imagePath, labDirectory))}`, 'memory: 1G', 'disk: 10G'];
}

/** An absolute path as a lab file writes it: relative to the lab file's folder when inside it (as a lab file kept in git wants), else as is. */
export function labRelativePath(path: string, labDirectory: string): string {
  const inside = relative(labDirectory, path);
  return !isAbsolute(inside) && inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' ? inside.split(sep).join('/') : path;
}
