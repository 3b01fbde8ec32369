/**
 * Unpacks a Debian kernel .deb (with `dpkg-deb -x`, never installing it) and finds what the guest
 * needs in it: the bzImage, the kernel release, and the modules folder with a `modules.dep`.
 */
import { access, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestBuildError } from '../../errors';
import { run } from './run';

/** A kernel package unpacked into a folder. */
export interface ExtractedKernel {
  /** The folder the package was unpacked into. */
  readonly root: string;
  /** The kernel release, as `uname -r` prints it in the guest (e.g. `6.1.0-56-amd64`). */
  readonly release: string;
  /** The bzImage. */
  readonly vmlinuz: string;
  /** `lib/modules/<release>` inside {@link root}, holding `modules.dep` and `modules.builtin`. */
  readonly modulesDir: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The kernel release of a `boot/` file name like `vmlinuz-6.1.0-56-amd64`. */
export function releaseOfVmlinuzName(fileName: string): string | undefined {
  const match = /^vmlinuz-(.+)$/.exec(fileName);
  return match?.[1];
}

/**
 * Unpacks `debPath` into `destDir` and returns where the kernel and its modules are. Debian's
 * package ships no `modules.dep` (its postinst runs depmod when installed), so depmod is run on the
 * unpacked tree when it is missing.
 */
export async function extractKernel(
  debPath: string,
  destDir: string,
  signal?: AbortSignal,
): Promise<ExtractedKernel> {
  await mkdir(destDir, { recursive: true });
  await run('dpkg-deb', ['-x', debPath, destDir], {
    signal,
    missingHint: 'Install dpkg (this builder needs a Debian or Ubuntu host).',
    failureHint: `The kernel package ${debPath} may be damaged: delete it so it is downloaded again.`,
  });
  const bootDir = join(destDir, 'boot');
  const bootFiles = await readdir(bootDir).catch(() => [] as string[]);
  const vmlinuzName = bootFiles.find((name) => releaseOfVmlinuzName(name) !== undefined);
  const release = vmlinuzName === undefined ? undefined : releaseOfVmlinuzName(vmlinuzName);
  if (vmlinuzName === undefined || release === undefined) {
    throw new GuestBuildError(`The kernel package ${debPath} has no boot/vmlinuz-*.`, {
      hint: 'The package is not a Debian kernel image package; check the apt sources.',
    });
  }

  // Older packages put modules under lib/, newer (merged-/usr) ones under usr/lib/; depmod of
  // kmod ≤ 30 only looks under <base>/lib/modules.
  let modulesDir = join(destDir, 'lib', 'modules', release);
  if (!(await exists(modulesDir))) {
    const usrModules = join(destDir, 'usr', 'lib', 'modules', release);
    if (!(await exists(usrModules))) {
      throw new GuestBuildError(`The kernel package ${debPath} has no modules for ${release}.`, {
        hint: 'The package is not a Debian kernel image package; check the apt sources.',
      });
    }
    if (!(await exists(join(destDir, 'lib')))) await symlink('usr/lib', join(destDir, 'lib'));
    else modulesDir = usrModules;
  }

  if (!(await exists(join(modulesDir, 'modules.dep')))) {
    await run('depmod', ['-b', destDir, release], {
      signal,
      missingHint: 'apt-get install kmod',
      failureHint: 'depmod could not index the kernel modules of the downloaded kernel.',
    }).catch(async (error: unknown) => {
      // Debian keeps depmod in /usr/sbin, which a non-root PATH may lack.
      if (error instanceof GuestBuildError && (await exists('/usr/sbin/depmod'))) {
        return run('/usr/sbin/depmod', ['-b', destDir, release], { signal });
      }
      throw error;
    });
  }
  return { root: destDir, release, vmlinuz: join(bootDir, vmlinuzName), modulesDir };
}
