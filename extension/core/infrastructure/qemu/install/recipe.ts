/**
 * How a private QEMU root is made and started, as pure data: where its packages come from, the
 * mmdebstrap command line, and the wrapper script that runs the root's QEMU through the root's
 * own dynamic loader (so the host's older C library is never used for it).
 */

/** One place a QEMU can come from: a release of the distribution, maybe with its backports. */
export interface QemuSource {
  /** Shown to the user and stored with the install, e.g. `Debian trixie-backports`. */
  readonly label: string;
  /** The release mmdebstrap bootstraps. */
  readonly suite: string;
  /** The suites of the root's sources list. */
  readonly suites: readonly string[];
  /** apt's default release in the root: where QEMU is taken from when several suites have it. */
  readonly defaultRelease: string;
}

/**
 * Where a Debian host's private QEMU comes from, first choice first: trixie-backports has the
 * newest QEMU that runs on Debian 12 through its own loader (11.1 when this was written), trixie
 * itself the one before (10.0). A requested version is taken from the first that has it.
 */
export const DEBIAN_QEMU_SOURCES: readonly QemuSource[] = [
  { label: 'Debian trixie-backports', suite: 'trixie', suites: ['trixie', 'trixie-backports'], defaultRelease: 'trixie-backports' },
  { label: 'Debian trixie', suite: 'trixie', suites: ['trixie'], defaultRelease: 'trixie' },
];

/**
 * The Debian packages a private root holds: QEMU for x86 guests, qemu-img, and every package of
 * QEMU modules. A module the root lacks is looked for in the host's own module folder next
 * (QEMU's built-in path), and one from another build aborts QEMU: `-device help` loads them all.
 */
export const QEMU_PACKAGES: readonly string[] = ['qemu-system-x86', 'qemu-utils', 'qemu-system-modules-opengl', 'qemu-system-modules-spice', 'qemu-block-extra'];

/** The programs the install puts a wrapper for, next to `root/`. */
export const WRAPPED_PROGRAMS = ['qemu-system-x86_64', 'qemu-img'] as const;

/** The arguments of `mmdebstrap` that make a root with {@link QEMU_PACKAGES} from `source` at `target`. */
export function mmdebstrapArgs(options: { readonly mirror: string; readonly source: QemuSource; readonly target: string }): string[] {
  const { mirror, source, target } = options;
  return [
    // essential: dpkg's essential set and what the packages pull in; no apt, no init system.
    '--variant=essential',
    `--aptopt=APT::Default-Release "${source.defaultRelease}"`,
    `--include=${QEMU_PACKAGES.join(',')}`,
    source.suite,
    target,
    ...source.suites.map((suite) => `deb ${mirror} ${suite} main`),
  ];
}

/** A QEMU version as a version request: `11.1` or `11.1.3`. */
export type VersionRequest = { readonly major: number; readonly minor: number; readonly micro?: number };

/** `11`, `11.1` or `11.1.3` → a request; undefined for anything else. */
export function parseVersionRequest(text: string): VersionRequest | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] === undefined ? {} : { micro: Number(match[3]) }) };
}

/** Whether `version` is what `request` asks for (`11.1` takes any 11.1.x). */
export function versionMatches(version: { readonly major: number; readonly minor: number; readonly micro: number }, request: VersionRequest): boolean {
  return version.major === request.major && version.minor === request.minor && (request.micro === undefined || version.micro === request.micro);
}

/** `11.1`, `11.1.3`. */
export function formatVersionRequest(request: VersionRequest): string {
  return request.micro === undefined ? `${request.major}.${request.minor}` : `${request.major}.${request.minor}.${request.micro}`;
}

/**
 * The wrapper that runs `program` of the root next to it. It finds the root relative to itself,
 * so the whole folder can be built elsewhere and renamed into place. The loader's `--inhibit-cache` keeps the host's /etc/ld.so.cache (its libraries) out; `exec -a` makes the program's
 * own path argv[0] of the process (what `ps` and /proc/PID/cmdline show, where tests and users look
 * for qemu-system-*), `--argv0` what QEMU itself sees; `-L` points QEMU at the root's
 * firmware (it would look next to the loader) and `QEMU_MODULE_DIR` at the root's modules (it
 * would load the host QEMU's, and abort).
 */
export function wrapperScript(program: (typeof WRAPPED_PROGRAMS)[number], description: string): string {
  const firmware = program === 'qemu-system-x86_64' ? ' -L "$root/usr/share/qemu" -L "$root/usr/share/seabios"' : '';
  return [
    // bash for `exec -a` (Debian always has it): a POSIX sh cannot set argv[0].
    '#!/bin/bash',
    `# ${description.replace(/[\r\n]/g, ' ')}: ${program} from a private root, written by qemu-lab qemu install.`,
    'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P) || exit 127',
    'root="$here/root"',
    'QEMU_MODULE_DIR="$root/usr/lib/x86_64-linux-gnu/qemu"',
    'export QEMU_MODULE_DIR',
    `exec -a "$root/usr/bin/${program}" "$root/lib64/ld-linux-x86-64.so.2" --inhibit-cache --argv0 "$root/usr/bin/${program}" --library-path "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" "$root/usr/bin/${program}"${firmware} "$@"`,
    '',
  ].join('\n');
}
