/**
 * The shared libraries a host binary needs, as `ldd` resolves them (the dynamic loader included),
 * so the same files can be put into the guest at the same paths.
 */
import { GuestBuildError } from '../../errors';
import { run } from './run';

/** What `ldd` said about one binary. */
export interface LddReport {
  /** Absolute paths of the libraries and of the dynamic loader, in `ldd`'s order. */
  readonly libraries: readonly string[];
  /** Sonames `ldd` could not find. */
  readonly missing: readonly string[];
  /** True for a statically linked binary. */
  readonly isStatic: boolean;
}

/** Parses the output of `ldd BINARY` (one binary). */
export function parseLddOutput(output: string): LddReport {
  const libraries: string[] = [];
  const missing: string[] = [];
  let isStatic = false;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === 'not a dynamic executable' || line === 'statically linked') {
      isStatic = true;
      continue;
    }
    const notFound = /^(\S+)\s+=>\s+not found$/.exec(line);
    if (notFound?.[1] !== undefined) {
      missing.push(notFound[1]);
      continue;
    }
    // `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` or the loader `/lib64/ld-linux-x86-64.so.2 (0x…)`.
    const resolved = /^(?:\S+\s+=>\s+)?(\/\S+)(?:\s+\(0x[0-9a-f]+\))?$/.exec(line);
    if (resolved?.[1] !== undefined) {
      if (!libraries.includes(resolved[1])) libraries.push(resolved[1]);
      continue;
    }
    // Anything else (`linux-vdso.so.1 (0x…)`, `libfoo.so => (0x…)`) has no file to copy.
  }
  return { libraries, missing, isStatic };
}

/**
 * The shared libraries (and dynamic loader) that `binaries` need on this host, each once, sorted.
 * Throws a {@link GuestBuildError} when a library cannot be found.
 */
export async function sharedLibraries(binaries: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const all = new Set<string>();
  for (const binary of binaries) {
    const { stdout, stderr } = await run('ldd', [binary], {
      signal,
      okExitCodes: [1],
      missingHint: 'apt-get install libc-bin',
    });
    const report = parseLddOutput(`${stdout}\n${stderr}`);
    if (report.missing.length > 0) {
      throw new GuestBuildError(`${binary} needs libraries this host does not have: ${report.missing.join(', ')}.`, {
        hint: 'Reinstall the package of that program (apt-get install --reinstall …) so its dependencies come back.',
      });
    }
    for (const library of report.libraries) all.add(library);
  }
  return [...all].sort();
}
