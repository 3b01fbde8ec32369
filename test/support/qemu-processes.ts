import { readdirSync, readFileSync } from 'node:fs';

/** A running process as read from /proc. */
export interface ProcessInfo {
  readonly pid: number;
  readonly argv: readonly string[];
}

/**
 * Whether a command line runs QEMU: `qemu-system-…` itself, or a private QEMU root's loader
 * (`ROOT/lib64/ld-linux-x86-64.so.2 --library-path … ROOT/usr/bin/qemu-system-x86_64 …`, what the
 * wrapper of a newer QEMU execs) — there the loader's command line is what /proc shows.
 */
function isQemu(argv: readonly string[]): boolean {
  const program = argv[0] ?? '';
  if (/qemu-system-/.test(program)) return true;
  return /\/ld-linux[^/]*\.so/.test(program) && argv.slice(1, 5).some((arg) => /\/qemu-system-[^/]*$/.test(arg));
}

/** QEMU processes whose command line mentions `marker` (a test's state directory). */
export function qemuProcessesMentioning(marker: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let raw: string;
    try {
      raw = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // The process ended while we looked.
    }
    const argv = raw.split('\0').filter((part) => part.length > 0);
    if (!isQemu(argv)) continue;
    if (!argv.some((arg) => arg.includes(marker))) continue;
    found.push({ pid: Number(entry), argv });
  }
  return found;
}
