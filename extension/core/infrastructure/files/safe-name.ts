/**
 * File names made from stored or lab data (experiment names and run ids from a results.jsonl
 * that may come from a cloned repository, chart ids, VM names): every such name goes through
 * {@link safeFileName}, and every path joined from one is checked by {@link pathInside}, so a
 * name like `../../escaped/x` or `-rf` can never leave the folder chosen or read as an option.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { QemuLabError } from '../../errors';

/** The longest name {@link safeFileName} returns (well under NAME_MAX of every Linux file system). */
const MAX_SAFE_NAME = 100;

/** A path made from data would land outside the folder it belongs in. */
export class UnsafePathError extends QemuLabError {}

/**
 * One path segment made from `text`: letters, digits, `_` and `-` only (every other run of
 * characters, `/` and `.` included, becomes one `_`), never starting or ending with `_` or `-`,
 * at most 100 characters; `fallback` when nothing is left.
 */
export function safeFileName(text: string, fallback = 'unnamed'): string {
  const name = text
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, MAX_SAFE_NAME)
    .replace(/[_-]+$/, '');
  return name === '' ? fallback : name;
}

/**
 * `relativePath` resolved inside `directory`, which it must not leave (no `..` out of it, not
 * absolute). The way to join a name that came from data to a folder the user chose.
 *
 * @throws UnsafePathError when the path would leave `directory`.
 */
export function pathInside(directory: string, relativePath: string): string {
  const base = resolve(directory);
  const target = resolve(base, relativePath);
  const rel = relative(base, target);
  if (isAbsolute(relativePath) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UnsafePathError(`Refusing to write ${JSON.stringify(relativePath)}: it is not a file inside ${base}.`, {
      hint: 'A name in the stored results leads out of the report folder; check where those results came from.',
    });
  }
  return target;
}
