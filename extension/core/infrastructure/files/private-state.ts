/**
 * State directories and their records are input: QEMU Lab acts on what `vm.json` or a COLO pair
 * record says (it runs `ssh` to the address in it, signals the pid beside it). So a record is
 * read only when nobody else could have written it: the state directory, every directory below
 * it down to the record, and the record itself must be owned by the current user and not
 * writable by group or others, and nothing below the state directory may be a symbolic link.
 * Otherwise reading fails with a {@link StateTrustError} that says how to fix it.
 *
 * The same check runs on remote hosts (one `stat` per path over the host's connection), for the
 * records kept there.
 */
import { lstat, stat } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { QemuLabError } from '../../errors';
import type { HostSystem } from '../hosts/system/host-system';

/**
 * A state directory or record QEMU Lab will not trust (someone else owns it or may write it), or
 * a record whose content is not what QEMU Lab writes.
 */
export class StateTrustError extends QemuLabError {}

/** What a `stat` says about one path, as far as trust goes. */
export interface PathFacts {
  readonly path: string;
  readonly uid: number;
  /** The full `st_mode` (type and permission bits). */
  readonly mode: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/**
 * The paths to check for `path` below `root`: the root, each directory between, and `path`.
 * `path` must be inside `root`.
 */
export function chainBelow(root: string, path: string): string[] {
  const rel = relative(root, path);
  if (rel === '') return [root];
  if (rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) {
    throw new StateTrustError(`${path} is not inside the state directory ${root}.`);
  }
  const chain: string[] = [];
  for (let current = path; current !== root && current !== dirname(current); current = dirname(current)) chain.unshift(current);
  return [root, ...chain];
}

/**
 * The first reason not to trust `facts` (root first), as a {@link StateTrustError} saying what
 * to run; undefined when all are fine. `facts[0]` is the state directory itself (a symlink to a
 * directory is fine there: it was followed); every later entry was not followed.
 */
export function trustProblem(facts: readonly PathFacts[], uid: number, where: string): StateTrustError | undefined {
  for (const [index, fact] of facts.entries()) {
    const type = fact.mode & S_IFMT;
    const isLast = index === facts.length - 1;
    const at = `${fact.path}${where}`;
    if (type === S_IFLNK) {
      return new StateTrustError(`QEMU Lab will not follow ${at}: it is a symbolic link inside the state directory.`, {
        hint: `Remove it (rm ${shellWord(fact.path)}) unless you made it; QEMU Lab never does.`,
      });
    }
    if (type !== S_IFDIR && !(isLast && type === S_IFREG)) {
      return new StateTrustError(`QEMU Lab will not use ${at}: it is neither a directory nor a regular file.`, { hint: `Remove it: rm ${shellWord(fact.path)}` });
    }
    if (fact.uid !== uid) {
      return new StateTrustError(`QEMU Lab will not trust ${at}: it belongs to user id ${fact.uid}, not to you (${uid}).`, {
        hint: `Someone else could have written what it says. If it is yours, take it: chown ${uid} ${shellWord(fact.path)}; else point QEMU_LAB_STATE_DIR at a directory of your own.`,
      });
    }
    if ((fact.mode & 0o022) !== 0) {
      const fix = type === S_IFDIR ? `chmod 700 ${shellWord(fact.path)}` : `chmod 600 ${shellWord(fact.path)}`;
      return new StateTrustError(`QEMU Lab will not trust ${at}: group or others may write it (mode ${(fact.mode & 0o777).toString(8).padStart(3, '0')}).`, {
        hint: `Someone else could have changed what it says. Check it, then: ${fix}`,
      });
    }
  }
  return undefined;
}

/** `text` as one word for a POSIX shell (for hints a person copies). */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

async function localFacts(chain: readonly string[]): Promise<PathFacts[] | undefined> {
  const facts: PathFacts[] = [];
  for (const [index, path] of chain.entries()) {
    try {
      const s = index === 0 ? await stat(path) : await lstat(path);
      facts.push({ path, uid: s.uid, mode: s.mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return facts.length === 0 ? undefined : facts;
      throw error;
    }
  }
  return facts;
}

/**
 * Prints the user's uid, then `uid mode` (hex) of each path in "$@" (the first followed, the
 * others not), `-` for a missing one. Constant: the paths arrive as arguments. Exported so a
 * look-up on a remote host can run it in the same command as its own reads.
 */
export const REMOTE_STAT_SCRIPT = 'id -u || exit 1; first=1; for p in "$@"; do if [ $first = 1 ]; then o=-L; else o=; fi; first=0; stat $o -c "%u %f" -- "$p" 2>/dev/null || echo -; done';

/**
 * The trust problem {@link REMOTE_STAT_SCRIPT}'s output shows for `chain` on host `hostName`
 * ({@link chainBelow}); undefined when there is none.
 */
export function remoteTrustProblem(output: string, chain: readonly string[], hostName: string): StateTrustError | undefined {
  const [uidLine = '', ...lines] = output.split('\n');
  const uid = Number(uidLine.trim());
  if (uidLine.trim() === '' || !Number.isInteger(uid)) {
    return new StateTrustError(`Host "${hostName}" did not say which user QEMU Lab runs as (id -u gave ${JSON.stringify(uidLine)}).`);
  }
  const facts: PathFacts[] = [];
  for (const [index, path] of chain.entries()) {
    const line = (lines[index] ?? '-').trim();
    if (line === '-') break;
    const match = /^([0-9]+) ([0-9a-f]+)$/.exec(line);
    if (match === null) return new StateTrustError(`Host "${hostName}" gave an unreadable stat line for ${path}: ${JSON.stringify(line)}.`);
    facts.push({ path, uid: Number(match[1]), mode: Number.parseInt(match[2] ?? '', 16) });
  }
  return trustProblem(facts, uid, ` on host "${hostName}"`);
}

function currentUid(): number {
  return process.getuid?.() ?? -1;
}

/**
 * Fails with a {@link StateTrustError} when `path` (a directory or record inside the state
 * directory `root`) or a directory above it up to `root` is not the user's own (see the module
 * comment). Paths that do not exist yet are fine.
 */
export async function assertPrivateState(system: HostSystem, root: string, path: string): Promise<void> {
  const chain = chainBelow(root, path);
  if (system.isLocal) {
    const problem = trustProblem((await localFacts(chain)) ?? [], currentUid(), '');
    if (problem !== undefined) throw problem;
    return;
  }
  const result = await system.run('sh', ['-c', REMOTE_STAT_SCRIPT, 'sh', ...chain], { timeoutMs: 30_000 });
  const problem = remoteTrustProblem(result.stdout, chain, system.name);
  if (problem !== undefined) throw problem;
}

/**
 * The text of a state record, after {@link assertPrivateState}; undefined when there is none.
 *
 * @throws StateTrustError when the record or a directory above it is not the user's own.
 */
export async function readPrivateState(system: HostSystem, root: string, path: string): Promise<string | undefined> {
  await assertPrivateState(system, root, path);
  return system.readText(path);
}
