/**
 * Builds the built-in lab guest, so that a new user needs no VM image: Debian's current amd64
 * kernel (downloaded with `apt-get download`, unpacked, never installed) and a small initramfs
 * made of the host's busybox, dropbear, sysbench, iperf3 and iperf. Guests are cached by a hash
 * of their inputs under `~/.cache/qemu-lab/guest/` and rebuilt only when an input changes.
 *
 * ```ts
 * const guest = await buildGuest({ onProgress: console.log });
 * // qemu-system-x86_64 … -kernel guest.vmlinux ?? guest.kernel -initrd guest.initrd
 * //   -append guestKernelCommandLine({ hostname: 'vm1' }) -serial … -device virtio-rng-pci …
 * ```
 *
 * Give the guest `-device virtio-rng-pci`: without it dropbear waits minutes for entropy under
 * TCG. Its NIC (virtio-net-pci or e1000) becomes eth0; the serial console is ttyS0.
 */
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GuestBuildError } from '../../errors';
import { GUEST_FILES, readGuest, writeManifest } from './artifacts';
import {
  defaultDebCacheDir,
  defaultGuestCacheRoot,
  guestCacheKey,
  makeBuildDir,
  publishBuild,
  removeStaleBuildDirs,
} from './cache';
import { downloadDeb } from './debs';
import { assembleImage, moduleNames, writeInitramfs } from './initramfs';
import { memoizedInputs } from './inputs-memo';
import { resolveGuestInputs } from './inputs';
import { extractKernel } from './kernel';
import { generateClientKey, generateHostKey, writeKnownHosts } from './keys';
import { sharedLibraries } from './libraries';
import { planModules } from './modules';
import { throwIfAborted } from './run';
import { GUEST_TOOLS, locateTool } from './tools';
import { extractVmlinux } from './vmlinux';

/** A built lab guest: a kernel, an initramfs, and the keys to log in to it. */
export interface GuestArtifacts {
  /** The folder everything below is in (`<cacheRoot>/<hash>`). */
  readonly dir: string;
  /** The cache key: a hash of the kernel package, tool package versions, templates and builder version. */
  readonly hash: string;
  /** The kernel as a bzImage: boots anywhere `-kernel` does. */
  readonly kernel: string;
  /**
   * The same kernel as an uncompressed ELF, booted by QEMU through its PVH entry point: about half
   * the boot time of {@link kernel} under TCG. Undefined when it could not be extracted.
   */
  readonly vmlinux: string | undefined;
  /** The gzip-compressed newc initramfs. */
  readonly initrd: string;
  /** The kernel release (`uname -r` in the guest), e.g. `6.1.0-56-amd64`. */
  readonly kernelVersion: string;
  /** The Debian kernel package the guest was built from, e.g. `linux-image-6.1.0-56-amd64 6.1.192-2`. */
  readonly kernelPackage: string;
  /** root's OpenSSH private key (mode 0600): `ssh -i`. */
  readonly sshPrivateKey: string;
  /** A known_hosts file with the guest's host key under {@link hostKeyAlias}: `-o UserKnownHostsFile=`. */
  readonly knownHostsFile: string;
  /** `-o HostKeyAlias=` for ssh, so the host key is checked whatever address and port reach the guest. */
  readonly hostKeyAlias: 'qemu-lab-guest';
  /**
   * The line the guest prints alone on its serial console once sshd listens, eth0 has a link and
   * the gateway answers ARP: an SSH connection made then succeeds at once.
   */
  readonly readyMarker: 'QEMU-LAB-READY';
  /** ISO 8601 time the build finished. */
  readonly builtAt: string;
  /** How long the build took. */
  readonly buildSeconds: number;
  /** True when this call found the guest already built. */
  readonly fromCache: boolean;
}

/** Where guests are cached; both default under `$XDG_CACHE_HOME/qemu-lab` (or `~/.cache/qemu-lab`). */
export interface GuestCacheOptions {
  /** The folder of built guests. Default `~/.cache/qemu-lab/guest`. */
  readonly cacheRoot?: string;
  /** The folder of downloaded .debs. Default `~/.cache/qemu-lab/debs`. */
  readonly debCacheDir?: string;
  /** Where the default folders are (QEMU_LAB_CACHE_DIR, XDG_CACHE_HOME, HOME). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** Options of {@link buildGuest}. */
export interface BuildGuestOptions extends GuestCacheOptions {
  /** Called with one line of text per step, for a progress view or log. */
  readonly onProgress?: (line: string) => void;
  /** Build again even when a guest with the same inputs is cached (it is then replaced). */
  readonly force?: boolean;
}

/**
 * The cached guest for the current inputs, or undefined when it has not been built yet. Resolving
 * the inputs asks apt and dpkg (a fraction of a second) unless the package state is unchanged
 * since the last time (see inputs-memo.ts); nothing is downloaded or built.
 */
export async function findCachedGuest(options: GuestCacheOptions): Promise<GuestArtifacts | undefined> {
  const cacheRoot = options.cacheRoot ?? defaultGuestCacheRoot(options.env);
  const debCacheDir = options.debCacheDir ?? defaultDebCacheDir(options.env);
  throwIfAborted(options.signal); // The memo may answer without running anything that would notice.
  const { inputs } = await memoizedInputs(debCacheDir, () => resolveGuestInputs({ debCacheDir, signal: options.signal }));
  const key = guestCacheKey(inputs);
  return readGuest(join(cacheRoot, key), key);
}

/**
 * Returns the built-in lab guest, building it when the cache has none for the current inputs.
 * Safe when several builds race: each builds in a private folder and publishes it with one
 * rename; the first one wins and the others use it. Throws {@link GuestBuildError} (with a hint)
 * when something the build needs is missing, and when `signal` aborts it.
 */
export async function buildGuest(options: BuildGuestOptions): Promise<GuestArtifacts> {
  const started = performance.now();
  const progress = options.onProgress ?? ((): void => undefined);
  const signal = options.signal;
  const cacheRoot = options.cacheRoot ?? defaultGuestCacheRoot(options.env);
  const debCacheDir = options.debCacheDir ?? defaultDebCacheDir(options.env);

  throwIfAborted(signal);
  const { inputs, cachedKernelDeb } = await memoizedInputs(debCacheDir, () => resolveGuestInputs({ debCacheDir, signal, onProgress: progress }));
  const key = guestCacheKey(inputs);
  const finalDir = join(cacheRoot, key);
  const kernelPackage = `${inputs.kernelPackage.name} ${inputs.kernelPackage.version}`;
  if (options.force !== true) {
    const cached = await readGuest(finalDir, key);
    if (cached !== undefined) {
      progress(`Using the cached guest ${key} (${kernelPackage}).`);
      return cached;
    }
  }
  // A folder that is there but no complete guest (a file deleted by hand) is replaced like a forced one.
  const replace = options.force === true || (await stat(finalDir).then(() => true, () => false));

  progress(`Building the lab guest ${key} from ${kernelPackage}…`);
  await removeStaleBuildDirs(cacheRoot);
  const tools = [];
  for (const tool of GUEST_TOOLS) tools.push({ tool, hostPath: await locateTool(tool) });
  const libraries = await sharedLibraries(
    tools.map((entry) => entry.hostPath),
    signal,
  );
  progress(`${tools.length} programs, ${libraries.length} shared libraries from this host.`);
  const debPath = cachedKernelDeb ?? (await downloadDeb(inputs.kernelPackage, debCacheDir, { signal, onProgress: progress }));

  const buildDir = await makeBuildDir(cacheRoot, key);
  try {
    const work = join(buildDir, 'work');
    progress(`Unpacking ${debPath}…`);
    const kernel = await extractKernel(debPath, join(work, 'kernel'), signal);
    await copyFile(kernel.vmlinuz, join(buildDir, GUEST_FILES.kernel));

    progress('Extracting the uncompressed ELF kernel (vmlinux) from the bzImage…');
    const vmlinux = await extractVmlinux(kernel.vmlinuz, join(buildDir, GUEST_FILES.vmlinux), signal);
    if (vmlinux.ok) progress(`vmlinux: ${vmlinux.format} payload, ${(vmlinux.bytes / 2 ** 20).toFixed(1)} MiB.`);
    else progress(`No vmlinux (${vmlinux.reason}); guests will boot the bzImage, which is slower.`);

    const plan = await planModules(kernel.modulesDir);
    if (plan.missing.length > 0) {
      throw new GuestBuildError(`Kernel ${kernel.release} has no module(s) ${plan.missing.join(', ')}.`, {
        hint: 'The kernel package is not a Debian amd64 kernel of the expected kind; check the apt sources.',
      });
    }
    if (plan.builtin.length > 0) progress(`Built into the kernel, nothing to load: ${plan.builtin.join(', ')}.`);
    progress(`Modules: ${moduleNames(plan.loadOrder).join(', ')}.`);

    progress('Generating the guest host key and the client key…');
    const hostKeyFile = join(work, 'dropbear_ed25519_host_key');
    const hostKey = await generateHostKey(hostKeyFile, signal);
    const authorizedKey = await generateClientKey(join(buildDir, GUEST_FILES.sshPrivateKey), signal);
    await writeKnownHosts(join(buildDir, GUEST_FILES.knownHostsFile), hostKey);

    progress('Writing the initramfs…');
    const tree = await assembleImage(
      {
        tools,
        libraries,
        kernelRelease: kernel.release,
        modulesDir: kernel.modulesDir,
        moduleLoadOrder: plan.loadOrder,
        moduleDeps: plan.deps,
        hostKeyFile,
        authorizedKey,
      },
      signal,
    );
    const initrdBytes = await writeInitramfs(tree, join(buildDir, GUEST_FILES.initrd), signal);
    progress(`initramfs: ${(initrdBytes / 2 ** 20).toFixed(1)} MiB.`);

    await rm(work, { recursive: true, force: true });
    throwIfAborted(signal);
    const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
    await writeManifest(buildDir, {
      hash: key,
      hasVmlinux: vmlinux.ok,
      kernelVersion: kernel.release,
      kernelPackage,
      builtAt: new Date().toISOString(),
      buildSeconds,
      inputs,
    });

    if (replace) await moveAside(cacheRoot, finalDir);
    const published = await publishBuild(buildDir, finalDir);
    if (!published) progress(`Another build of ${key} finished first; using it.`);
    const built = await readGuest(finalDir, key);
    if (built === undefined) {
      throw new GuestBuildError(`The guest in ${finalDir} is incomplete.`, {
        hint: `Delete ${finalDir} and build again.`,
      });
    }
    progress(`Lab guest ready in ${buildSeconds} s: ${finalDir}`);
    return published ? { ...built, fromCache: false } : built;
  } catch (error) {
    await rm(buildDir, { recursive: true, force: true });
    throw error;
  }
}

/** Moves an existing guest folder out of the way (then deletes it) so a forced build can take its name. */
async function moveAside(cacheRoot: string, finalDir: string): Promise<void> {
  await mkdir(cacheRoot, { recursive: true });
  const trash = await mkdtemp(join(cacheRoot, '.old-'));
  try {
    await rename(finalDir, join(trash, 'guest'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rm(trash, { recursive: true, force: true });
}
