/**
 * Kernel modules for the guest: which files a set of module names needs (their dependencies from
 * `modules.dep`, in load order), which of them are built into the kernel (`modules.builtin`), and
 * reading them uncompressed (busybox `insmod` does not undo xz/zstd compression).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GuestBuildError } from '../../errors';
import { runBinary } from './run';

/**
 * The modules the guest loads: PCI virtio transport, both NICs the course compares (virtio-net
 * with its failover helpers, e1000), the virtio RNG (without it dropbear waits minutes for
 * entropy under TCG), virtio disks, and the ACPI power button with evdev so that acpid sees it.
 */
export const GUEST_MODULES: readonly string[] = [
  'virtio_pci',
  'virtio_net',
  'net_failover',
  'failover',
  'e1000',
  'virtio_rng',
  'virtio_blk',
  'evdev',
  'button',
];

/** A module's name as the kernel sees it: file name without `.ko[.xz|.zst|.gz]`, `-` as `_`. */
export function moduleName(path: string): string {
  return basename(path)
    .replace(/\.ko(\.(xz|zst|gz))?$/, '')
    .replace(/-/g, '_');
}

/** `modules.dep` as a map from module path (relative to the modules folder) to its dependencies. */
export function parseModulesDep(text: string): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const path = line.slice(0, colon).trim();
    const rest = line.slice(colon + 1).trim();
    deps.set(path, rest === '' ? [] : rest.split(/\s+/));
  }
  return deps;
}

/** The names of the modules in `modules.builtin` (one path per line). */
export function parseModulesBuiltin(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const path = line.trim();
    if (path !== '') names.add(moduleName(path));
  }
  return names;
}

/** What {@link resolveModules} decided. */
export interface ModulePlan {
  /** Module paths (relative to the modules folder) in an order `insmod` can load them in. */
  readonly loadOrder: readonly string[];
  /** Wanted modules that are built into the kernel: nothing to load. */
  readonly builtin: readonly string[];
  /** Wanted modules the kernel has neither as a file nor built in. */
  readonly missing: readonly string[];
}

/**
 * Resolves `wanted` module names against `modules.dep` and `modules.builtin`: each module comes
 * after everything it depends on, each once; order among independent modules follows `wanted`.
 */
export function resolveModules(
  wanted: readonly string[],
  dep: ReadonlyMap<string, readonly string[]>,
  builtin: ReadonlySet<string>,
): ModulePlan {
  const pathByName = new Map<string, string>();
  for (const path of dep.keys()) pathByName.set(moduleName(path), path);

  const loadOrder: string[] = [];
  const builtinHit: string[] = [];
  const missing: string[] = [];
  const done = new Set<string>();
  const inProgress = new Set<string>();

  const visit = (path: string): void => {
    if (done.has(path)) return;
    if (inProgress.has(path)) {
      throw new GuestBuildError(`modules.dep has a dependency cycle through ${path}.`, {
        hint: 'The kernel package is damaged: delete it from the .deb cache so it is downloaded again.',
      });
    }
    inProgress.add(path);
    for (const needed of dep.get(path) ?? []) visit(needed);
    inProgress.delete(path);
    done.add(path);
    loadOrder.push(path);
  };

  for (const raw of wanted) {
    const name = raw.replace(/-/g, '_');
    const path = pathByName.get(name);
    if (path !== undefined) visit(path);
    else if (builtin.has(name)) builtinHit.push(name);
    else missing.push(name);
  }
  return { loadOrder, builtin: builtinHit, missing };
}

/** Reads the plan of `wanted` from a kernel's modules folder; `deps` is its whole modules.dep. */
export async function planModules(
  modulesDir: string,
  wanted: readonly string[] = GUEST_MODULES,
): Promise<ModulePlan & { readonly deps: ReadonlyMap<string, readonly string[]> }> {
  const deps = parseModulesDep(await readFile(join(modulesDir, 'modules.dep'), 'utf8'));
  const builtinText = await readFile(join(modulesDir, 'modules.builtin'), 'utf8').catch(() => '');
  return { ...resolveModules(wanted, deps, parseModulesBuiltin(builtinText)), deps };
}

/** The bytes of a module file, decompressed when it is `.ko.xz`, `.ko.zst` or `.ko.gz`. */
export async function readModule(path: string, signal?: AbortSignal): Promise<Buffer> {
  const bytes = await readFile(path);
  if (path.endsWith('.ko.gz')) return gunzipSync(bytes);
  if (path.endsWith('.ko.xz')) return runBinary('xz', ['-dc'], bytes, { signal, missingHint: 'apt-get install xz-utils' });
  if (path.endsWith('.ko.zst')) return runBinary('zstd', ['-dc'], bytes, { signal, missingHint: 'apt-get install zstd' });
  return bytes;
}

/** The name a module file gets in the guest: always uncompressed `.ko`. */
export function guestModuleFileName(path: string): string {
  return basename(path).replace(/\.ko(\.(xz|zst|gz))?$/, '.ko');
}
