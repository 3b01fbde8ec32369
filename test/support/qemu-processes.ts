import { readdirSync, readFileSync } from 'node:fs';

/** A running process as read from /proc. */
export interface ProcessInfo {
  readonly pid: number;
  readonly argv: readonly string[];
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
    const program = argv[0] ?? '';
    if (!/qemu-system-/.test(program)) continue;
    if (!argv.some((arg) => arg.includes(marker))) continue;
    found.push({ pid: Number(entry), argv });
  }
  return found;
}
