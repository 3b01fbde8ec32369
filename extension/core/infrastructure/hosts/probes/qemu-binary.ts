import { HostError } from '../../../errors';
import type { HostSystem } from '../system/host-system';
import { runProgram } from '../system/run-program';

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

/**
 * Finds a usable QEMU for x86_64 guests: `QEMU_LAB_QEMU` if set, else `qemu-system-x86_64` on
 * PATH; checks its version. Missing or too old → a {@link HostError} with the install command.
 */
export async function findQemu(env: NodeJS.ProcessEnv = process.env, system?: HostSystem): Promise<{ binary: string; version: QemuVersion }> {
  const binary = env.QEMU_LAB_QEMU ?? 'qemu-system-x86_64';
  const options = { missingHint: INSTALL_HINT, timeoutMs: 10_000 };
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
