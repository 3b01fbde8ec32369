/**
 * Remembers the last resolved guest inputs beside the downloaded .debs they name (not among the
 * built guests), valid while Debian's package state is unchanged. Asking apt costs ~0.7 s here (one `apt-cache show`); every `qemu-lab up`
 * would pay it. The package state is what those answers depend on: dpkg's status file (installed
 * tool versions) and apt's lists (the kernel apt would pick) — their mtimes key the memo, with a
 * hash of the inputs fixed in this build of QEMU Lab (a changed /init must build a new guest,
 * whatever apt says).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../infrastructure/files/atomic-write';
import { guestCacheKey } from './cache';
import { fixedGuestInputs, type ResolvedInputs } from './inputs';

const DPKG_STATUS = '/var/lib/dpkg/status';
const APT_LISTS = '/var/lib/apt/lists';
const MEMO_FILE = 'inputs-memo.json';

interface Memo {
  readonly stamp: string;
  readonly resolved: ResolvedInputs;
}

function fixedStamp(fixed: ReturnType<typeof fixedGuestInputs>): string {
  // The cache key's canonical hash, over the fixed parts with the asked-for ones left empty.
  return guestCacheKey({ ...fixed, kernelPackage: { name: '', version: '' }, toolPackages: {} });
}

async function packageStateStamp(fixed: ReturnType<typeof fixedGuestInputs>): Promise<string | undefined> {
  try {
    const [status, lists] = await Promise.all([stat(DPKG_STATUS), stat(APT_LISTS)]);
    return `${status.mtimeMs}:${status.size}:${lists.mtimeMs}:${fixedStamp(fixed)}`;
  } catch {
    return undefined; // Not Debian-like: never memoize.
  }
}

/**
 * Resolves inputs through `resolve`, or returns the memo when the package state and the fixed
 * inputs (`fixed`, by default this build's) are unchanged.
 */
export async function memoizedInputs(memoDirectory: string, resolve: () => Promise<ResolvedInputs>, fixed = fixedGuestInputs()): Promise<ResolvedInputs> {
  const stamp = await packageStateStamp(fixed);
  await mkdir(memoDirectory, { recursive: true });
  const path = join(memoDirectory, MEMO_FILE);
  if (stamp !== undefined) {
    try {
      const memo = JSON.parse(await readFile(path, 'utf8')) as Memo;
      if (memo.stamp === stamp && memo.resolved.cachedKernelDeb === undefined) return memo.resolved;
    } catch {
      // No memo, or a broken one: resolve afresh.
    }
  }
  const resolved = await resolve();
  if (stamp !== undefined) {
    await writeFileAtomically(path, JSON.stringify({ stamp, resolved } satisfies Memo)).catch(
      () => undefined, // A read-only cache still works, only slower.
    );
  }
  return resolved;
}
