/**
 * Where built guests and downloaded .debs are kept, the key a guest is cached under, and how a
 * finished build is put in place atomically so that racing builds never see half a guest.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../infrastructure/files/cache-base';

/**
 * Bump when the builder's output changes for the same inputs (another file in the image, another
 * layout, a fix): every user's guest is rebuilt once.
 */
export const GUEST_BUILDER_VERSION = 1;

/** The folder built guests are cached in, one sub-folder per cache key. */
export function defaultGuestCacheRoot(env: NodeJS.ProcessEnv): string {
  return join(qemuLabCacheBase(env), 'guest');
}

/** The folder downloaded .deb files are kept in. */
export function defaultDebCacheDir(env: NodeJS.ProcessEnv): string {
  return join(qemuLabCacheBase(env), 'debs');
}

/** Everything a built guest depends on; a change to any of it means another guest. */
export interface GuestInputs {
  readonly builderVersion: number;
  readonly kernelPackage: { readonly name: string; readonly version: string };
  /** Installed versions of the host packages copied into the guest, by package name. */
  readonly toolPackages: Readonly<Record<string, string>>;
  /** The module names the guest loads. */
  readonly modules: readonly string[];
  /** The generated text files (/init and friends), by guest path. */
  readonly templates: Readonly<Record<string, string>>;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The cache key of a guest: 16 hex digits of a SHA-256 over its inputs, key order ignored. */
export function guestCacheKey(inputs: GuestInputs): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 16);
}

const TEMP_PREFIX = '.build-';

/** A fresh private folder for one build, beside the final folders (so a rename can publish it). */
export async function makeBuildDir(cacheRoot: string, key: string): Promise<string> {
  await mkdir(cacheRoot, { recursive: true });
  return mkdtemp(join(cacheRoot, `${TEMP_PREFIX}${key}-`));
}

/**
 * Moves a finished build to its final folder with one rename. When another build got there first,
 * theirs is kept, ours deleted, and `false` returned.
 */
export async function publishBuild(buildDir: string, finalDir: string): Promise<boolean> {
  try {
    await rename(buildDir, finalDir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      await rm(buildDir, { recursive: true, force: true });
      return false;
    }
    throw error;
  }
}

/** Deletes build folders left by builds that died more than `maxAgeMs` ago. */
export async function removeStaleBuildDirs(cacheRoot: string, maxAgeMs = 6 * 3600_000): Promise<void> {
  let names: string[];
  try {
    names = await readdir(cacheRoot);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(cacheRoot, name);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && now - info.mtimeMs > maxAgeMs) await rm(path, { recursive: true, force: true });
  }
}
