import { isAbsolute, normalize } from 'node:path';
import { expandHome, isHomePath } from '../../core/infrastructure/files/home-path';
import type { HostQemuSetting } from '../../core/infrastructure/hosts/probes/qemu-binary';
import { HOST_QEMU_ENV, hostQemuEnvValue, parseHostQemuSetting } from '../../core/infrastructure/hosts/probes/qemu-setting';

// What the editor's `qemuLab.*` settings mean, as pure functions (no `vscode` here, so they are
// tested without an editor): the values as VS Code hands them over, checked, turned into the
// environment the core and the CLI already read (QEMU_LAB_STATE_DIR, QEMU_LAB_HOST_QEMU, …).

/** The settings as read from the configuration: anything, since settings.json is hand-written. */
export interface RawLabSettings {
  readonly stateDirectory: unknown;
  readonly cacheDirectory: unknown;
  readonly remoteStateDirectory: unknown;
  readonly hostQemu: unknown;
}

/** The settings that are set and valid, and what is wrong with the others. */
export interface LabSettings {
  /** The environment core functions (and the CLI of tasks) get: the editor's own, with the settings over it. */
  readonly env: NodeJS.ProcessEnv;
  /** The state folder on SSH hosts (absolute there); undefined: `~/.local/state/qemu-lab` there. */
  readonly remoteStateRoot: string | undefined;
  /** One sentence per setting that is ignored, saying why and what to write. */
  readonly problems: readonly string[];
}

/**
 * Reads the settings over `baseEnv` (the editor's environment). A setting that is set wins over
 * the environment variable of the same meaning; one that is empty leaves the variable as it is.
 * An invalid value is ignored (with a problem), never half-used.
 */
export function readLabSettings(raw: RawLabSettings, baseEnv: NodeJS.ProcessEnv): LabSettings {
  const problems: string[] = [];
  const home = baseEnv.HOME;
  const local = (key: string, value: unknown): string | undefined => {
    const text = nonEmptyString(key, value, problems);
    if (text === undefined) return undefined;
    const expanded = isHomePath(text) ? (home === undefined ? undefined : expandHome(text, home)) : text;
    if (expanded === undefined || !isAbsolute(expanded) || hasControlCharacters(expanded)) {
      problems.push(`qemuLab.${key} "${text}" is ignored: write an absolute folder on this machine (or one under ~/).`);
      return undefined;
    }
    return normalize(expanded);
  };
  const stateDir = local('stateDirectory', raw.stateDirectory);
  const cacheDir = local('cacheDirectory', raw.cacheDirectory);
  const remote = nonEmptyString('remoteStateDirectory', raw.remoteStateDirectory, problems);
  let remoteStateRoot: string | undefined;
  if (remote !== undefined) {
    // The remote user's home is not known here, and `~` would reach a shell there unexpanded.
    if (remote.startsWith('/') && !hasControlCharacters(remote) && !remote.split('/').includes('..')) remoteStateRoot = normalize(remote);
    else problems.push(`qemuLab.remoteStateDirectory "${remote}" is ignored: write an absolute folder (the same on every SSH host), without "..".`);
  }
  const qemus = readHostQemu(raw.hostQemu, problems);
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  // The QEMU a host runs when its lab file entry names none (findQemu reads it; so does the CLI a task runs).
  const hostQemu = hostQemuEnvValue(qemus);
  if (hostQemu !== undefined) env[HOST_QEMU_ENV] = hostQemu;
  if (stateDir !== undefined) env.QEMU_LAB_STATE_DIR = stateDir;
  if (cacheDir !== undefined) env.QEMU_LAB_CACHE_DIR = cacheDir;
  if (remoteStateRoot !== undefined) env.QEMU_LAB_REMOTE_STATE_DIR = remoteStateRoot;
  return { env, remoteStateRoot: remoteStateRoot ?? baseEnv.QEMU_LAB_REMOTE_STATE_DIR, problems };
}

/** The environment variables the settings set: what a changed setting changes. */
const SETTING_VARIABLES = [HOST_QEMU_ENV, 'QEMU_LAB_STATE_DIR', 'QEMU_LAB_CACHE_DIR', 'QEMU_LAB_REMOTE_STATE_DIR'] as const;

/**
 * What the settings make the extension use, one `VARIABLE=value` each (`unset` when neither a
 * setting nor the editor's environment gives one): for the log, so a user sees which QEMU and
 * folders this window took.
 */
export function describeLabSettings(settings: LabSettings): string {
  return SETTING_VARIABLES.map((name) => `${name}=${settings.env[name] ?? 'unset'}`).join(', ');
}

/** Whether two readings of the settings make the extension use the same QEMUs and folders. */
export function sameLabSettings(a: LabSettings, b: LabSettings): boolean {
  return SETTING_VARIABLES.every((name) => a.env[name] === b.env[name]) && a.remoteStateRoot === b.remoteStateRoot;
}

function readHostQemu(value: unknown, problems: string[]): ReadonlyMap<string, HostQemuSetting> {
  const qemus = new Map<string, HostQemuSetting>();
  if (value === undefined || value === null) return qemus;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('qemuLab.hostQemu is ignored: write an object of host name → QEMU version or path, e.g. { "local": "11.1" }.');
    return qemus;
  }
  for (const [host, text] of Object.entries(value)) {
    const setting = typeof text === 'string' ? parseHostQemuSetting(text) : undefined;
    if (setting === undefined) {
      problems.push(`qemuLab.hostQemu["${host}"] is ignored: write a QEMU version installed with qemu-lab qemu install (e.g. "11.1") or the absolute path of a qemu-system-x86_64.`);
      continue;
    }
    qemus.set(host, setting);
  }
  return qemus;
}

function nonEmptyString(key: string, value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`qemuLab.${key} is ignored: write a folder path as a string.`);
    return undefined;
  }
  const text = value.trim();
  return text === '' ? undefined : text;
}

function hasControlCharacters(text: string): boolean {
  return [...text].some((c) => c < ' ' || c === '\x7f');
}
