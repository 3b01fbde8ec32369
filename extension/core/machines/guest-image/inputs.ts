/**
 * Gathers what a guest build depends on (its {@link GuestInputs}): the kernel package apt would
 * use now, the installed versions of the tool packages, the module list and the generated files.
 */
import { GuestBuildError } from '../../errors';
import { GUEST_BUILDER_VERSION, type GuestInputs } from './cache';
import { installedVersions, newestCachedKernelDeb, resolveKernelPackage, type DebPackage } from './debs';
import { GUEST_ETC_FILES, INIT_SCRIPT } from './init-script';
import { GUEST_MODULES } from './modules';
import { GUEST_TOOL_PACKAGES, GUEST_TOOLS_HINT } from './tools';

/** The inputs, and the kernel .deb when it was taken from the cache because apt could not say. */
export interface ResolvedInputs {
  readonly inputs: GuestInputs;
  readonly cachedKernelDeb: string | undefined;
}

/** The generated text files of the guest, by guest path. */
export function guestTemplates(): Record<string, string> {
  const templates: Record<string, string> = { '/init': INIT_SCRIPT };
  for (const [path, file] of Object.entries(GUEST_ETC_FILES)) templates[path] = `${file.mode.toString(8)} ${file.text}`;
  return templates;
}

/**
 * The inputs fixed in this build of QEMU Lab (not asked of apt or dpkg): the builder's version,
 * the module list and the generated files. The inputs memo is only valid for the same ones.
 */
export function fixedGuestInputs(): Pick<GuestInputs, 'builderVersion' | 'modules' | 'templates'> {
  return { builderVersion: GUEST_BUILDER_VERSION, modules: GUEST_MODULES, templates: guestTemplates() };
}

/**
 * Resolves the inputs of a guest build. When apt cannot name the kernel package (no package lists,
 * e.g. after `apt-get clean` in a container), the newest kernel .deb in `debCacheDir` is used.
 */
export async function resolveGuestInputs(options: {
  debCacheDir: string;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}): Promise<ResolvedInputs> {
  const toolPackages = await installedVersions(GUEST_TOOL_PACKAGES, GUEST_TOOLS_HINT, options.signal);
  let kernelPackage: DebPackage;
  let cachedKernelDeb: string | undefined;
  try {
    kernelPackage = await resolveKernelPackage(options.signal);
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    const cached = await newestCachedKernelDeb(options.debCacheDir, options.signal);
    if (cached === undefined) throw error;
    const why = error instanceof GuestBuildError ? error.message : String(error);
    options.onProgress?.(`${why} Using the cached ${cached.name} ${cached.version} instead.`);
    kernelPackage = { name: cached.name, version: cached.version };
    cachedKernelDeb = cached.path;
  }
  const inputs: GuestInputs = { ...fixedGuestInputs(), kernelPackage, toolPackages };
  return { inputs, cachedKernelDeb };
}
