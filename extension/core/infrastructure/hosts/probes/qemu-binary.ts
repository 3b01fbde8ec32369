import { HostError } from '../../../errors';
import { findInstalledQemu } from '../../qemu/install/installed';
import { parseVersionRequest } from '../../qemu/install/recipe';
import type { HostSystem } from '../system/host-system';
import { runProgram } from '../system/run-program';
import { HOST_QEMU_ENV, hostQemuFromEnv } from './qemu-setting';

/** The name of this machine as a host when no system is given. */
const LOCAL_HOST_NAME = 'local';

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

/** Which QEMU a host should run, and who said so (for the error when it is not there). */
interface ChosenQemu {
  readonly setting: HostQemuSetting;
  /** Where the setting is written, e.g. `hosts.local.qemu in the lab file`. */
  readonly source: string;
}

/** The program a host's setting names there: the wrapper of an installed version, or the path itself. */
async function programFor({ setting, source }: ChosenQemu, env: NodeJS.ProcessEnv, system: HostSystem | undefined): Promise<string> {
  if (setting.kind === 'path') return setting.path;
  const request = parseVersionRequest(setting.version);
  const where = system?.name ?? LOCAL_HOST_NAME;
  if (request === undefined) throw new HostError(`"${setting.version}" is not a QEMU version (${source}).`, { hint: 'Write a version such as "11.1".' });
  if (system === undefined) throw new HostError(`QEMU ${setting.version} can only be looked up on a host.`);
  const installed = await findInstalledQemu(system, request, env);
  if (installed === undefined) {
    throw new HostError(`QEMU ${setting.version} is not installed on host "${where}" (${source} asks for it).`, {
      hint: `Install it: qemu-lab qemu install ${setting.version}${where === LOCAL_HOST_NAME ? '' : ` --host ${where}`} (qemu-lab qemu list shows what is there).`,
    });
  }
  return installed.binary;
}

/** The QEMU the lab file names for the host, else the one QEMU_LAB_HOST_QEMU names; undefined: the system's. */
function chooseQemu(env: NodeJS.ProcessEnv, host: string, labSetting: HostQemuSetting | undefined): ChosenQemu | undefined {
  if (labSetting !== undefined) return { setting: labSetting, source: `hosts.${host}.qemu in the lab file` };
  const fromEnv = hostQemuFromEnv(env, host);
  return fromEnv === undefined ? undefined : { setting: fromEnv, source: `${HOST_QEMU_ENV} (the editor's qemuLab.hostQemu setting)` };
}

/**
 * Finds a usable QEMU for x86_64 guests: `QEMU_LAB_QEMU` if set (for every host), else what the
 * lab file's `hosts.NAME.qemu` names, else `QEMU_LAB_HOST_QEMU`'s entry for the host (how the
 * editor's `qemuLab.hostQemu` setting arrives), else `qemu-system-x86_64` on PATH; checks its
 * version. Missing or too old → a {@link HostError} with what to do.
 */
export async function findQemu(env: NodeJS.ProcessEnv, system?: HostSystem, labSetting?: HostQemuSetting): Promise<{ binary: string; version: QemuVersion }> {
  const host = system?.name ?? LOCAL_HOST_NAME;
  const chosen = env.QEMU_LAB_QEMU === undefined ? chooseQemu(env, host, labSetting) : undefined;
  const binary = env.QEMU_LAB_QEMU ?? (chosen === undefined ? 'qemu-system-x86_64' : await programFor(chosen, env, system));
  const options = { missingHint: chosen === undefined ? INSTALL_HINT : `${chosen.source} names ${binary}; check that it exists there.`, timeoutMs: 10_000 };
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
