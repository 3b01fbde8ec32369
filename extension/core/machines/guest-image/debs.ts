/**
 * Debian packages: which kernel package `linux-image-amd64` stands for, downloading it into the
 * .deb cache (no install), and the installed versions of the host packages the guest is made of.
 */
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestBuildError } from '../../errors';
import { run } from './run';

/** The meta package that always depends on Debian's current amd64 kernel. */
export const KERNEL_META_PACKAGE = 'linux-image-amd64';

/** A Debian package at one version. */
export interface DebPackage {
  readonly name: string;
  readonly version: string;
}

const APT_UPDATE_HINT = 'Run `apt-get update` (as root) so that apt knows the current kernel package, then try again.';

/**
 * The kernel package a meta package depends on, from `apt-cache show --no-all-versions` output:
 * `Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)`. The version is set only for an exact `=`.
 */
export function parseMetaPackageDepends(
  output: string,
  pattern: RegExp = /^linux-image-\S+$/,
): { name: string; version: string | undefined } | undefined {
  const depends = /^Depends:\s*(.*)$/m.exec(output)?.[1];
  if (depends === undefined) return undefined;
  for (const clause of depends.split(',')) {
    // An alternative `a | b` counts by its first package, as apt would install it.
    const first = clause.split('|')[0]?.trim() ?? '';
    const match = /^(\S+)(?:\s*\(\s*(=|>=|<=|>>|<<)\s*([^)\s]+)\s*\))?$/.exec(first);
    const name = match?.[1];
    if (name === undefined || !pattern.test(name)) continue;
    return { name, version: match?.[2] === '=' ? match[3] : undefined };
  }
  return undefined;
}

/** The `Candidate:` version in `apt-cache policy` output, or undefined when there is none. */
export function parseAptPolicyCandidate(output: string): string | undefined {
  const match = /^\s*Candidate:\s*(\S+)\s*$/m.exec(output);
  const version = match?.[1];
  return version === undefined || version === '(none)' ? undefined : version;
}

/** How apt names the file of a package version it downloads (an epoch's `:` becomes `%3a`). */
export function debFilePrefix(pkg: DebPackage): string {
  return `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_`;
}

/**
 * Resolves `linux-image-amd64` to the versioned kernel package apt would install now. Debian's
 * meta package pins the exact version (`Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)`), so
 * one `apt-cache show` is enough (each apt-cache call can take most of a second); otherwise
 * `apt-cache policy` gives the candidate.
 */
export async function resolveKernelPackage(signal?: AbortSignal): Promise<DebPackage> {
  const missingHint = 'Install apt (this builder needs a Debian or Ubuntu host).';
  let shown: string;
  try {
    shown = (await run('apt-cache', ['show', '--no-all-versions', KERNEL_META_PACKAGE], { signal, missingHint })).stdout;
  } catch (error) {
    if (error instanceof GuestBuildError) throw error;
    throw new GuestBuildError(`apt does not know the package ${KERNEL_META_PACKAGE}.`, {
      hint: APT_UPDATE_HINT,
      cause: error,
    });
  }
  const depends = parseMetaPackageDepends(shown);
  if (depends === undefined) {
    throw new GuestBuildError(`Could not tell which kernel package ${KERNEL_META_PACKAGE} depends on.`, {
      hint: APT_UPDATE_HINT,
    });
  }
  if (depends.version !== undefined) return { name: depends.name, version: depends.version };
  const policy = (await run('apt-cache', ['policy', depends.name], { signal, missingHint })).stdout;
  const version = parseAptPolicyCandidate(policy);
  if (version === undefined) {
    throw new GuestBuildError(`apt has no installable version of ${depends.name}.`, { hint: APT_UPDATE_HINT });
  }
  return { name: depends.name, version };
}

/** The newest kernel .deb already in the download cache, for hosts whose apt lists are gone. */
export async function newestCachedKernelDeb(
  debDir: string,
  signal?: AbortSignal,
): Promise<(DebPackage & { readonly path: string }) | undefined> {
  let names: string[];
  try {
    names = await readdir(debDir);
  } catch {
    return undefined;
  }
  const found: (DebPackage & { readonly path: string })[] = [];
  for (const file of names) {
    if (!/^linux-image-[0-9].*-amd64_.*\.deb$/.test(file) || file.includes('-unsigned_')) continue;
    const path = join(debDir, file);
    const fields = (await run('dpkg-deb', ['--field', path, 'Package', 'Version'], { signal })).stdout;
    const name = /^Package:\s*(\S+)/m.exec(fields)?.[1];
    const version = /^Version:\s*(\S+)/m.exec(fields)?.[1];
    if (name !== undefined && version !== undefined) found.push({ name, version, path });
  }
  let newest: (DebPackage & { readonly path: string }) | undefined;
  for (const candidate of found) {
    if (newest === undefined) {
      newest = candidate;
      continue;
    }
    const newer = await run('dpkg', ['--compare-versions', candidate.version, 'gt', newest.version], { signal }).then(
      () => true,
      () => false,
    );
    if (newer) newest = candidate;
  }
  return newest;
}

/** The cached .deb of `pkg` in `debDir`, if it was downloaded before. */
export async function findCachedDeb(pkg: DebPackage, debDir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(debDir);
  } catch {
    return undefined;
  }
  const prefix = debFilePrefix(pkg);
  const file = names.find((name) => name.startsWith(prefix) && name.endsWith('.deb'));
  return file === undefined ? undefined : join(debDir, file);
}

/**
 * Returns the path of `pkg`'s .deb in `debDir`, downloading it with `apt-get download` first when
 * it is not there. The download goes to a private folder first and is then renamed into place, so
 * an interrupted download or a racing build never leaves a half file under the final name.
 */
export async function downloadDeb(
  pkg: DebPackage,
  debDir: string,
  options: { signal?: AbortSignal; onProgress?: (line: string) => void } = {},
): Promise<string> {
  const cached = await findCachedDeb(pkg, debDir);
  if (cached !== undefined) {
    options.onProgress?.(`Using cached ${pkg.name} ${pkg.version}.`);
    return cached;
  }
  await mkdir(debDir, { recursive: true });
  const partial = await mkdtemp(join(debDir, '.download-'));
  try {
    options.onProgress?.(`Downloading ${pkg.name} ${pkg.version} with apt-get download…`);
    // As root, apt would hand the download to its unprivileged `_apt` user, who may not be able to
    // write into a cache under root's home; the download is only written, never installed.
    const sandbox = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
    await run('apt-get', [...sandbox, 'download', `${pkg.name}=${pkg.version}`], {
      cwd: partial,
      signal: options.signal,
      missingHint: 'Install apt (this builder needs a Debian or Ubuntu host).',
      failureHint: `apt-get could not download ${pkg.name}; check the apt sources and run \`apt-get update\`.`,
    });
    const file = (await readdir(partial)).find((name) => name.startsWith(debFilePrefix(pkg)) && name.endsWith('.deb'));
    if (file === undefined) {
      throw new GuestBuildError(`apt-get download left no .deb for ${pkg.name} ${pkg.version}.`, {
        hint: APT_UPDATE_HINT,
      });
    }
    const target = join(debDir, file);
    await rename(join(partial, file), target);
    return target;
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** Parses `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'` output. */
export function parseDpkgQuery(output: string): Map<string, { version: string; installed: boolean }> {
  const found = new Map<string, { version: string; installed: boolean }>();
  for (const line of output.split('\n')) {
    const [name, version, status] = line.split('\t');
    if (name === undefined || version === undefined || name === '') continue;
    found.set(name, { version, installed: (status ?? '').trim().startsWith('ii') });
  }
  return found;
}

/**
 * The installed versions of `packages`, by name. Throws a {@link GuestBuildError} with
 * `installHint` when any of them is not installed.
 */
export async function installedVersions(
  packages: readonly string[],
  installHint: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  // dpkg-query exits 1 when a package is unknown; what it did print still tells which.
  const output = (
    await run('dpkg-query', ['-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n', ...packages], {
      signal,
      okExitCodes: [1],
      missingHint: 'Install dpkg (this builder needs a Debian or Ubuntu host).',
    })
  ).stdout;
  const found = parseDpkgQuery(output);
  const versions: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of packages) {
    const entry = found.get(name);
    if (entry === undefined || !entry.installed) missing.push(name);
    else versions[name] = entry.version;
  }
  if (missing.length > 0) {
    throw new GuestBuildError(`The guest needs host package(s) that are not installed: ${missing.join(', ')}.`, {
      hint: installHint,
    });
  }
  return versions;
}
