import { describeError } from '../../../errors';
import { parseQemuVersion, type QemuVersion } from '../../hosts/probes/qemu-binary';
import type { HostSystem } from '../../hosts/system/host-system';
import { listInstalledQemus, type InstalledQemu } from './installed';

/** The QEMUs one host has: its system QEMU (on PATH) and the privately installed ones. */
export interface HostQemus {
  readonly host: string;
  readonly system: { readonly path: string; readonly version: QemuVersion } | { readonly missing: string };
  readonly installed: readonly InstalledQemu[];
}

/** What `qemu-lab qemu list` shows for `system`. */
export async function hostQemus(system: HostSystem, env: NodeJS.ProcessEnv): Promise<HostQemus> {
  const [systemQemu, installed] = await Promise.all([systemQemuOf(system), listInstalledQemus(system, env)]);
  return { host: system.name, system: systemQemu, installed };
}

async function systemQemuOf(system: HostSystem): Promise<HostQemus['system']> {
  try {
    const path = (await system.run('sh', ['-c', 'command -v qemu-system-x86_64'], { check: false, timeoutMs: 10_000 })).stdout.trim();
    if (path === '') return { missing: 'qemu-system-x86_64 is not on PATH' };
    const version = parseQemuVersion((await system.run(path, ['--version'], { check: false, timeoutMs: 10_000 })).stdout);
    return version === undefined ? { missing: `${path} --version did not print a QEMU version` } : { path, version };
  } catch (error) {
    return { missing: describeError(error) };
  }
}
