import { HostError } from '../../../errors';
import type { HostQemuSetting } from './qemu-binary';

/** The key of a host-QEMU map that stands for every host not listed. */
export const EVERY_HOST = '*';

/** A version `qemu-lab qemu install` takes: `11.1`, `11.1.3`. */
const QEMU_VERSION = /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/;

/**
 * Reads which QEMU a host should run, as a lab file (`hosts.NAME.qemu`) or the editor's
 * `qemuLab.hostQemu` setting writes it: an installed version (`"11.1"`), or the absolute path of
 * a qemu-system-x86_64 there. The path goes to no shell, but it is a program to run: no control
 * characters and no `..`, so what a reader sees is what runs.
 *
 * @returns undefined when the text is neither.
 */
export function parseHostQemuSetting(text: string): HostQemuSetting | undefined {
  const value = text.trim();
  if (QEMU_VERSION.test(value)) return { kind: 'version', version: value };
  if (value.startsWith('/') && [...value].every((c) => c >= ' ' && c !== '\x7f') && !value.split('/').includes('..')) return { kind: 'path', path: value };
  return undefined;
}

/** The environment variable of a QEMU per host: a JSON object, host name (or `"*"`) → version or path. */
export const HOST_QEMU_ENV = 'QEMU_LAB_HOST_QEMU';

/**
 * The QEMU `QEMU_LAB_HOST_QEMU` names for `host` (its own entry, else `"*"`): how the editor's
 * `qemuLab.hostQemu` setting reaches the CLI it runs (tasks), and a way for scripts to say it.
 *
 * @throws HostError when the variable is set but is not such an object.
 */
export function hostQemuFromEnv(env: NodeJS.ProcessEnv, host: string): HostQemuSetting | undefined {
  const text = env[HOST_QEMU_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const fix = `Set it to a JSON object of host name → QEMU version or absolute path, e.g. {"local":"11.1"}, or unset it.`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HostError(`${HOST_QEMU_ENV} is not JSON.`, { hint: fix });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HostError(`${HOST_QEMU_ENV} is not a JSON object.`, { hint: fix });
  const entries = value as Record<string, unknown>;
  const raw = Object.hasOwn(entries, host) ? entries[host] : entries[EVERY_HOST];
  if (raw === undefined) return undefined;
  const setting = typeof raw === 'string' ? parseHostQemuSetting(raw) : undefined;
  if (setting === undefined) throw new HostError(`${HOST_QEMU_ENV} names ${JSON.stringify(raw)} for host "${host}": neither a QEMU version nor an absolute path.`, { hint: fix });
  return setting;
}

/**
 * The `QEMU_LAB_HOST_QEMU` value for a map of host name (or `"*"`) → QEMU; undefined when empty.
 */
export function hostQemuEnvValue(qemus: ReadonlyMap<string, HostQemuSetting>): string | undefined {
  if (qemus.size === 0) return undefined;
  return JSON.stringify(Object.fromEntries([...qemus].map(([host, setting]) => [host, setting.kind === 'path' ? setting.path : setting.version])));
}
