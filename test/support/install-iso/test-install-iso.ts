import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../../extension/core/infrastructure/files/cache-base';

const RECIPE = join(__dirname, 'build-install-iso.sh');

/** The marker the test ISO's kernel command line carries (the kernel prints its command line on the serial console). */
export const ISO_BOOT_MARKER = 'QEMU-LAB-ISO-BOOTED';

/** What goes into the test ISO: the built-in lab guest's kernel and initramfs, and their command line. */
export interface InstallIsoInputs {
  readonly kernel: string;
  readonly initrd: string;
  /** The guest's kernel command line (without `quiet`, so the kernel prints it). */
  readonly commandLine: string;
  /** The built-in guest's build hash: a new guest makes a new ISO. */
  readonly guestHash: string;
}

/**
 * A small BIOS-bootable ISO (ISOLINUX + the built-in guest, ~20 MB), made by
 * build-install-iso.sh with genisoimage in a second or two and cached under the QEMU Lab cache
 * (`test-images/install-iso-<hash>`), keyed by the recipe, the guest and the command line.
 */
export function ensureTestInstallIso(inputs: InstallIsoInputs, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(readFileSync(RECIPE)).update(`\0${inputs.guestHash}\0${inputs.commandLine}`).digest('hex').slice(0, 16);
  const dir = join(qemuLabCacheBase(env), 'test-images', `install-iso-${hash}`);
  const iso = join(dir, 'install.iso');
  if (existsSync(iso)) return iso;
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', [RECIPE, `${iso}.new`, inputs.kernel, inputs.initrd, inputs.commandLine, join(dir, '.build')], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(`${iso}.new`, iso);
  return iso;
}
