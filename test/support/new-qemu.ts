import { LocalHostSystem } from '../../extension/core/infrastructure/hosts/system/host-system';
import { installQemu } from '../../extension/core/infrastructure/qemu/install/install';
import type { InstalledQemu } from '../../extension/core/infrastructure/qemu/install/installed';

/** The env variable that hands the new QEMU's wrapper to the integration tests. */
export const NEW_QEMU_ENV = 'QEMU_LAB_TEST_QEMU_NEW';

/** The oldest "new" QEMU the tests accept: the one that checkpoints COLO under TCG (issue #16). */
const NEWEST_MAJOR_WANTED = 11;

/**
 * QEMU 11.x installed privately through `qemu-lab qemu install`'s own code, in this machine's
 * cache: a working install there is reused (a fraction of a second); a fresh machine builds it
 * once (a minute or a few, from the host's apt mirror).
 */
export async function ensureNewQemu(onProgress: (line: string) => void): Promise<InstalledQemu> {
  const system = new LocalHostSystem();
  let { installed } = await installQemu(system, { env: process.env, onProgress });
  if (installed.version.major < NEWEST_MAJOR_WANTED) installed = (await installQemu(system, { env: process.env, force: true, onProgress })).installed;
  if (installed.version.major < NEWEST_MAJOR_WANTED) {
    throw new Error(`qemu install made QEMU ${installed.record.version}; the tests need ${NEWEST_MAJOR_WANTED}.x (from Debian trixie-backports).`);
  }
  return installed;
}
