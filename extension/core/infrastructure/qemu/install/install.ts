/**
 * `qemu-lab qemu install`: a QEMU newer than the host's, in a private root next to the lab's other
 * caches, made by mmdebstrap from the distribution's own packages and mirror, started through a
 * wrapper. The system QEMU is never touched. Everything runs through a {@link HostSystem}, so the
 * same steps install on this machine or on an SSH host.
 */
import { join } from 'node:path';
import { CommandFailedError } from '../../../errors';
import type { HostSystem } from '../../hosts/system/host-system';
import { parseQemuVersion } from '../../hosts/probes/qemu-binary';
import { QemuInstallError } from './errors';
import { familyOf, mainMirror, parseDeb822Sources, parseOneLineSources, parseOsRelease, type AptSource } from './host-distribution';
import { installedFrom, installRoot, listInstalledQemus, type InstalledQemu, type InstallRecord } from './installed';
import { DEBIAN_QEMU_SOURCES, formatVersionRequest, mmdebstrapArgs, versionMatches, WRAPPED_PROGRAMS, wrapperScript, type QemuSource, type VersionRequest } from './recipe';

/** Options of {@link installQemu}. */
export interface InstallQemuOptions {
  /** The version wanted (`11.1`); the newest offered when absent. */
  readonly request?: VersionRequest;
  /** Build again even when an install that works is there. */
  readonly force?: boolean;
  /** Where the cache folder is (QEMU_LAB_CACHE_DIR, XDG_CACHE_HOME, HOME). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly onProgress?: (line: string) => void;
}

/** What {@link installQemu} did. */
export interface InstallQemuResult {
  readonly installed: InstalledQemu;
  /** True when a working install was there already and is what this call returns. */
  readonly reused: boolean;
}

/** mmdebstrap on a slow machine and mirror: a few minutes; bounded so a stalled download ends. */
const BUILD_TIMEOUT_MS = 30 * 60_000;
const MMDEBSTRAP_HINT = 'Install mmdebstrap on that host (as root: apt-get install mmdebstrap), then try again.';

/**
 * Writes the wrappers of the root in `dir` (those that differ from what this version of the tool
 * writes: an install made by an older one gets the current wrappers, without a rebuild).
 */
async function writeWrappers(system: HostSystem, dir: string, sourceLabel: string): Promise<void> {
  for (const program of WRAPPED_PROGRAMS) {
    const path = join(dir, program);
    const text = wrapperScript(program, `QEMU from ${sourceLabel}`);
    if ((await system.readText(path)) === text) continue;
    await system.writeTextAtomically(path, text);
    await system.run('chmod', ['0755', path], { timeoutMs: 10_000 });
  }
}

/** Whether the install's wrapper starts and prints the version its record names. */
async function works(system: HostSystem, installed: InstalledQemu): Promise<boolean> {
  const result = await system.run(installed.binary, ['--version'], { check: false, timeoutMs: 20_000 }).catch(() => undefined);
  const version = result === undefined ? undefined : parseQemuVersion(result.stdout);
  return version !== undefined && `${version.major}.${version.minor}.${version.micro}` === installed.record.version;
}

/** The host's main apt mirror, read from its own sources (sources.list and sources.list.d). */
async function hostMirror(system: HostSystem, codename: string): Promise<string> {
  const listed = await system.run('find', ['/etc/apt/sources.list.d', '-maxdepth', '1', '-type', 'f', '(', '-name', '*.list', '-o', '-name', '*.sources', ')'], { check: false, timeoutMs: 10_000 });
  const files = ['/etc/apt/sources.list', ...listed.stdout.split('\n').filter((f) => f.startsWith('/etc/apt/sources.list.d/')).sort()];
  const sources: AptSource[] = [];
  for (const file of files) {
    const text = await system.readText(file);
    if (text !== undefined) sources.push(...(file.endsWith('.sources') ? parseDeb822Sources(text) : parseOneLineSources(text)));
  }
  const mirror = mainMirror(sources, codename);
  if (mirror === undefined) {
    throw new QemuInstallError(`No apt source for ${codename === '' ? 'the host’s release' : `"${codename}"`} on host "${system.name}" names a mirror to install QEMU from.`, {
      hint: 'The install uses the mirror the host already uses: add its main archive to /etc/apt/sources.list(.d) (a deb line with an http(s) URI).',
    });
  }
  return mirror;
}

/** Which distribution, and from where its packages come. Refuses anything but Debian (and derivatives). */
async function packageOrigin(system: HostSystem): Promise<{ mirror: string; sources: readonly QemuSource[] }> {
  const osRelease = parseOsRelease((await system.readText('/etc/os-release')) ?? '');
  const family = familyOf(osRelease);
  if (family === undefined) {
    throw new QemuInstallError(`Host "${system.name}" runs ${osRelease.prettyName}; a private QEMU is made from Debian packages, on a Debian or Ubuntu host.`, {
      hint: "Install a current QEMU with the host's own package manager and name its qemu-system-x86_64 in the lab file (hosts.NAME.qemu: /path/to/qemu-system-x86_64).",
    });
  }
  if (family === 'ubuntu') {
    throw new QemuInstallError(`Host "${system.name}" runs ${osRelease.prettyName}: installing a private QEMU from Ubuntu's releases is not supported yet.`, {
      hint: 'Install a newer QEMU on it another way and name its qemu-system-x86_64 in the lab file (hosts.NAME.qemu: /path/to/qemu-system-x86_64).',
    });
  }
  return { mirror: await hostMirror(system, osRelease.codename), sources: DEBIAN_QEMU_SOURCES };
}

/** A failed mmdebstrap, as an error that says why in the user's terms. */
function buildFailure(error: unknown, host: string, mirror: string, source: QemuSource): unknown {
  if (!(error instanceof CommandFailedError)) return error;
  const stderr = error.stderr;
  if (/Could not resolve|Failed to fetch|Temporary failure resolving|Could not connect|Connection failed|Unable to connect|No route to host|Network is unreachable|timed out/i.test(stderr)) {
    return new QemuInstallError(`The mirror ${mirror} could not be reached from host "${host}" while fetching ${source.label}.`, {
      hint: 'Check that the host reaches its apt mirror (apt-get update there), then try again.',
      cause: error,
    });
  }
  if (/unable to locate package|has no installation candidate|Release file .* not found|does not have a Release file/i.test(stderr)) {
    return new QemuInstallError(`The mirror ${mirror} does not offer QEMU from ${source.label}.`, { hint: 'The mirror may not carry that release: check it, or name a QEMU binary in the lab file instead.', cause: error });
  }
  return new QemuInstallError(`mmdebstrap failed while making the QEMU root from ${source.label}:\n${error.stderr.trim().split('\n').slice(-8).join('\n')}`, {
    hint: 'Nothing was installed; fix what mmdebstrap says, then run qemu-lab qemu install again.',
    cause: error,
  });
}

/** The `Version:` of `name` in a dpkg status file's text. */
export function packageVersionIn(status: string, name: string): string | undefined {
  for (const stanza of status.split(/\n\n+/)) {
    if (new RegExp(`^Package: ${name.replace(/[.+]/g, '\\$&')}$`, 'm').test(stanza)) return /^Version: (.+)$/m.exec(stanza)?.[1]?.trim();
  }
  return undefined;
}

/**
 * Builds one root from `source` in a fresh folder under `root` and writes its wrappers and record.
 * Returns the folder and what it holds; the caller renames it into place or removes it.
 */
async function buildOne(system: HostSystem, root: string, mirror: string, source: QemuSource, options: InstallQemuOptions): Promise<{ build: string; record: InstallRecord }> {
  const started = Date.now();
  const build = (await system.run('mktemp', ['-d', join(root, '.build-XXXXXXXX')], { timeoutMs: 10_000 })).stdout.trim();
  try {
    options.onProgress?.(`Making a private root with QEMU from ${source.label} (mmdebstrap, ${mirror}); this takes a minute or a few…`);
    await system
      .run('mmdebstrap', mmdebstrapArgs({ mirror, source, target: join(build, 'root') }), { timeoutMs: BUILD_TIMEOUT_MS, signal: options.signal, missingHint: MMDEBSTRAP_HINT })
      .catch((error: unknown) => {
        throw buildFailure(error, system.name, mirror, source);
      });
    await writeWrappers(system, build, source.label);
    const versionRun = await system.run(join(build, 'qemu-system-x86_64'), ['--version'], { check: false, timeoutMs: 20_000 });
    const version = parseQemuVersion(versionRun.stdout);
    if (version === undefined) {
      throw new QemuInstallError(`The QEMU made from ${source.label} does not start on host "${system.name}": ${(versionRun.stderr || versionRun.stdout).trim().split('\n').slice(-3).join(' ')}`, {
        hint: 'Its C library may be too new for this kernel; name a QEMU binary in the lab file instead (hosts.NAME.qemu: /path/to/qemu-system-x86_64).',
      });
    }
    const status = (await system.readText(join(build, 'root', 'var', 'lib', 'dpkg', 'status'))) ?? '';
    const record: InstallRecord = {
      format: 1,
      version: `${version.major}.${version.minor}.${version.micro}`,
      versionText: version.text,
      source: source.label,
      package: packageVersionIn(status, 'qemu-system-x86') ?? 'unknown',
      installedAt: new Date().toISOString(),
      buildSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
    await system.writeTextAtomically(join(build, 'install.json'), JSON.stringify(record, null, 2) + '\n');
    return { build, record };
  } catch (error) {
    await removeTree(system, root, build);
    throw error;
  }
}

/** `rm -rf` of a folder this install made under `root`, and nothing else. */
async function removeTree(system: HostSystem, root: string, dir: string): Promise<void> {
  if (!dir.startsWith(`${root}/`) || dir.includes('/../')) return;
  await system.run('rm', ['-rf', '--one-file-system', '--', dir], { check: false, timeoutMs: 120_000 });
}

/**
 * Puts a finished build in place as `<root>/<version>`, replacing a broken install there (or any,
 * with `force`); keeps a working one (another install won the race) and drops the build.
 */
async function publish(system: HostSystem, root: string, build: string, record: InstallRecord, options: InstallQemuOptions): Promise<InstallQemuResult> {
  const final = join(root, record.version);
  const existing = (await listInstalledQemus(system, options.env)).find((q) => q.dir === final);
  if (options.force !== true && existing !== undefined && (await works(system, existing))) {
    await removeTree(system, root, build);
    return { installed: existing, reused: true };
  }
  const aside = `${build}.old`;
  await system.run('mv', ['-T', '--', final, aside], { check: false, timeoutMs: 10_000 });
  await system.run('mv', ['-T', '--', build, final], { timeoutMs: 10_000 });
  await removeTree(system, root, aside);
  return { installed: installedFrom(final, record), reused: false };
}

/**
 * Installs a QEMU privately on `system` (idempotent: a working install of the requested version,
 * or of any version when none is requested, is reused unless `force`). Builds in a temporary
 * folder and renames it into place, so a cancelled or failed install leaves nothing half made.
 */
export async function installQemu(system: HostSystem, options: InstallQemuOptions): Promise<InstallQemuResult> {
  const root = await installRoot(system, options.env);
  const request = options.request;
  if (options.force !== true) {
    const present = (await listInstalledQemus(system, options.env)).filter((q) => request === undefined || versionMatches(q.version, request));
    for (const candidate of present) {
      await writeWrappers(system, candidate.dir, candidate.record.source);
      if (await works(system, candidate)) return { installed: candidate, reused: true };
    }
  }
  const { mirror, sources } = await packageOrigin(system);
  await system.run('mmdebstrap', ['--version'], { timeoutMs: 20_000, missingHint: MMDEBSTRAP_HINT });
  await system.makePrivateDirectory(root);
  // Builds a killed install left behind (a day old: no install still runs then).
  await system.run('find', [root, '-mindepth', '1', '-maxdepth', '1', '-name', '.build-*', '-mmin', '+1440', '-exec', 'rm', '-rf', '--one-file-system', '--', '{}', '+'], { check: false, timeoutMs: 120_000 });
  const offered: string[] = [];
  for (const source of request === undefined ? sources.slice(0, 1) : sources) {
    const { build, record } = await buildOne(system, root, mirror, source, options);
    const version = installedFrom(build, record).version;
    if (request === undefined || versionMatches(version, request)) return publish(system, root, build, record, options);
    offered.push(`${record.version} (${source.label})`);
    await removeTree(system, root, build);
  }
  throw new QemuInstallError(`QEMU ${formatVersionRequest(request ?? { major: 0, minor: 0 })} is not offered: the mirror has ${offered.join(', ')}.`, {
    hint: `Install one of those (qemu-lab qemu install ${offered[0]?.split(' ')[0] ?? ''}), or leave out the version for the newest.`,
  });
}
