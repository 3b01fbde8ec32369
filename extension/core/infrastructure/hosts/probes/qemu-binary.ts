import { HostError } from '../../../errors';
import { findInstalledQemu } from '../../qemu/install/installed';
import { parseVersionRequest } from '../../qemu/install/recipe';
import type { HostSystem } from '../system/host-system';
import { runProgram } from '../system/run-program';

/**
 * Which QEMU a host runs (`hosts.NAME.qemu:` in a lab file): a program there, or a version
 * `qemu-lab qemu install` put there (`"11.1"` takes the newest 11.1.x installed).
 */
export type HostQemuSetting = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'version'; readonly version: string };

/** A QEMU version as `major.minor.micro`. */
export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  /** The whole first line of `--version`, e.g. `QEMU emulator version 7.2.22 (Debian …)`. */
  readonly text: string;
}

/** The oldest QEMU we drive: 7.0 (Debian 12 ships 7.2). */
export const MINIMUM_QEMU: Readonly<{ major: number; minor: number }> = { major: 7, minor: 0 };

const INSTALL_HINT = 'Install QEMU: apt-get install qemu-system-x86 (Debian/Ubuntu) or dnf install qemu-system-x86 (Fedora).';

/** Parses `qemu-system-* --version` output. Undefined when it is not QEMU's. */
export function parseQemuVersion(output: string): QemuVersion | undefined {
  const match = /QEMU emulator version (\d+)\.(\d+)\.(\d+)/.exec(output);
  if (match === null) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    micro: Number(match[3]),
    text: output.split('\n')[0]?.trim() ?? '',
  };
}

/** The program a host's setting names there: the wrapper of an installed version, or the path itself. */
async function programFor(setting: HostQemuSetting, env: NodeJS.ProcessEnv, system: HostSystem | undefined): Promise<string> {
  if (setting.kind === 'path') return setting.path;
  const request = parseVersionRequest(setting.version);
  const where = system?.name ?? 'local';
  if (request === undefined) throw new HostError(`"${setting.version}" is not a QEMU version.`, { hint: 'Write a version such as "11.1" in hosts.NAME.qemu.' });
  if (system === undefined) throw new HostError(`QEMU ${setting.version} can only be looked up on a host.`);
  const installed = await findInstalledQemu(system, request, env);
  if (installed === undefined) {
    throw new HostError(`QEMU ${setting.version} is not installed on host "${where}" (the lab file asks for it: hosts.${where}.qemu).`, {
      hint: `Install it: qemu-lab qemu install ${setting.version}${where === 'local' ? '' : ` --host ${where}`} (qemu-lab qemu list shows what is there).`,
    });
  }
  return installed.binary;
}

/**
 * Finds a usable QEMU for x86_64 guests: `QEMU_LAB_QEMU` if set (for every host), else what the
 * host's `qemu:` setting names, else `qemu-system-x86_64` on PATH; checks its version. Missing or
 * too old → a {@link HostError} with what to do.
 */
export async function findQemu(env: NodeJS.ProcessEnv, system?: HostSystem, setting?: HostQemuSetting): Promise<{ binary: string; version: QemuVersion }> {
  const binary = env.QEMU_LAB_QEMU ?? (setting === undefined ? 'qemu-system-x86_64' : await programFor(setting, env, system));
  const options = { missingHint: setting === undefined || env.QEMU_LAB_QEMU !== undefined ? INSTALL_HINT : `The lab file names ${binary} (hosts.NAME.qemu); check that it exists there.`, timeoutMs: 10_000 };
  const result = system === undefined ? await runProgram(binary, ['--version'], options) : await system.run(binary, ['--version'], options);
  const version = parseQemuVersion(result.stdout);
  if (version === undefined) {
    throw new HostError(`${binary} --version did not print a QEMU version.`, { hint: INSTALL_HINT });
  }
  if (version.major < MINIMUM_QEMU.major || (version.major === MINIMUM_QEMU.major && version.minor < MINIMUM_QEMU.minor)) {
    throw new HostError(`QEMU ${version.major}.${version.minor} is too old; QEMU Lab needs ${MINIMUM_QEMU.major}.${MINIMUM_QEMU.minor} or newer.`, {
      hint: INSTALL_HINT,
    });
  }
  return { binary, version };
}
