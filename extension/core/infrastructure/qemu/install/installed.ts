/**
 * The QEMUs `qemu-lab qemu install` put on a host: one folder per version under
 * `<cache>/qemu/<major.minor.micro>/`, each with its root, wrappers and `install.json`. Everything
 * read back from there is checked before use: a folder's record is input, not trusted.
 */
import { join } from 'node:path';
import { qemuLabCacheBase } from '../../files/cache-base';
import type { HostSystem } from '../../hosts/system/host-system';
import type { VersionRequest } from './recipe';
import { versionMatches } from './recipe';

/** The record `install.json` holds. */
export interface InstallRecord {
  readonly format: 1;
  /** `11.1.3`: also the folder's name. */
  readonly version: string;
  /** The first line of the QEMU's `--version`. */
  readonly versionText: string;
  /** Where it came from, e.g. `Debian trixie-backports`. */
  readonly source: string;
  /** The Debian package version of qemu-system-x86, e.g. `1:11.1.3+ds-1~bpo13+1`. */
  readonly package: string;
  readonly installedAt: string;
  readonly buildSeconds: number;
}

/** A QEMU installed on a host, ready to run through its wrapper. */
export interface InstalledQemu {
  readonly version: { readonly major: number; readonly minor: number; readonly micro: number; readonly text: string };
  /** Its folder there. */
  readonly dir: string;
  /** The `qemu-system-x86_64` wrapper: what a lab's `qemu:` setting resolves to. */
  readonly binary: string;
  readonly record: InstallRecord;
}

/** The folder installed QEMUs live in on `system`: under this machine's cache setting, or `~/.cache/qemu-lab` there. */
export async function installRoot(system: HostSystem, env: NodeJS.ProcessEnv): Promise<string> {
  const base = system.isLocal ? qemuLabCacheBase(env) : join(await system.home(), '.cache', 'qemu-lab');
  return join(base, 'qemu');
}

const VERSION_NAME = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `install.json` text → its record when it is one and names `folderName`'s version; otherwise undefined. */
export function parseInstallRecord(text: string, folderName: string): InstallRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const str = (key: string, max = 300): string | undefined => {
    const v = r[key];
    // One line of printable text: it is shown in a terminal.
    return typeof v === 'string' && v.length <= max && [...v].every((c) => c >= ' ' && c !== '\x7f') ? v : undefined;
  };
  const version = str('version', 20);
  if (r.format !== 1 || version === undefined || version !== folderName || !VERSION_NAME.test(version)) return undefined;
  const versionText = str('versionText');
  const source = str('source', 100);
  const pkg = str('package', 100);
  const installedAt = str('installedAt', 40);
  const buildSeconds = typeof r.buildSeconds === 'number' && Number.isFinite(r.buildSeconds) && r.buildSeconds >= 0 ? r.buildSeconds : undefined;
  if (versionText === undefined || source === undefined || pkg === undefined || installedAt === undefined || buildSeconds === undefined) return undefined;
  return { format: 1, version, versionText, source, package: pkg, installedAt, buildSeconds };
}

/** The installed QEMU a folder holds, from its checked record. */
export function installedFrom(dir: string, record: InstallRecord): InstalledQemu {
  const [, major = '0', minor = '0', micro = '0'] = VERSION_NAME.exec(record.version) ?? [];
  return {
    version: { major: Number(major), minor: Number(minor), micro: Number(micro), text: record.versionText },
    dir,
    binary: join(dir, 'qemu-system-x86_64'),
    record,
  };
}

/** Every QEMU installed on `system`, newest first. Folders without a valid record (a build under way, a damaged one) are left out. */
export async function listInstalledQemus(system: HostSystem, env: NodeJS.ProcessEnv): Promise<InstalledQemu[]> {
  const root = await installRoot(system, env);
  // The folder may not exist yet: then find fails and lists nothing.
  const found = await system.run('find', [root, '-mindepth', '2', '-maxdepth', '2', '-type', 'f', '-name', 'install.json'], { check: false, timeoutMs: 10_000 });
  const installed: InstalledQemu[] = [];
  for (const line of found.stdout.split('\n')) {
    const folderName = line.slice(root.length + 1, -'/install.json'.length);
    if (!line.startsWith(`${root}/`) || !VERSION_NAME.test(folderName)) continue;
    const dir = join(root, folderName);
    const record = parseInstallRecord((await system.readText(join(dir, 'install.json'))) ?? '', folderName);
    if (record !== undefined) installed.push(installedFrom(dir, record));
  }
  return installed.sort((a, b) => b.version.major - a.version.major || b.version.minor - a.version.minor || b.version.micro - a.version.micro);
}

/** The newest installed QEMU `request` asks for, or undefined. */
export async function findInstalledQemu(system: HostSystem, request: VersionRequest, env: NodeJS.ProcessEnv): Promise<InstalledQemu | undefined> {
  return (await listInstalledQemus(system, env)).find((q) => versionMatches(q.version, request));
}
