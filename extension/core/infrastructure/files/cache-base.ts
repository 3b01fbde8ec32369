import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The cache folder of this machine, under which the lab guest, downloaded .debs and privately
 * installed QEMUs live: `$QEMU_LAB_CACHE_DIR`, else `$XDG_CACHE_HOME/qemu-lab`, else
 * `~/.cache/qemu-lab`.
 */
export function qemuLabCacheBase(env: NodeJS.ProcessEnv): string {
  if (env.QEMU_LAB_CACHE_DIR?.startsWith('/')) return env.QEMU_LAB_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says to ignore a relative value.
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'qemu-lab');
}
