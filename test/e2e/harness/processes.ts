// Which processes a test started, found honestly: every process the harness starts (code-server,
// Chromium) gets a marker variable in its environment, and everything they start inherits it —
// including processes that leave the process group (terminals' shells call setsid, QEMU
// daemonizes). /proc/PID/environ is the environment a process was started with.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie runs nothing; its parent reaps it
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), command };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Live processes whose environment holds `name=value`. */
export function processesWithMarker(name: string, value: string): ProcessInfo[] {
  const needle = `${name}=${value}`;
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(needle)) continue;
    const info = readProcess(pid);
    if (info !== undefined) found.push(info);
  }
  return found;
}

export function isAlive(pid: number): boolean {
  return readProcess(pid) !== undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a signal to a process group, ignoring a group that is gone already. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Ends what a marker names: SIGTERM to the group, a grace period for everything marked to exit,
 * then SIGKILL, by pid, to whatever did not. Returns the processes that outlived the grace period
 * (a leak the caller reports as a failure).
 */
export async function endMarked(
  marker: { name: string; value: string },
  pgid: number | undefined,
  graceMs = 10_000,
): Promise<ProcessInfo[]> {
  if (pgid !== undefined) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let alive = processesWithMarker(marker.name, marker.value);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = processesWithMarker(marker.name, marker.value);
  }
  if (alive.length === 0) return [];
  for (const p of alive) signalPid(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (processesWithMarker(marker.name, marker.value).length > 0 && Date.now() < killDeadline) await sleep(100);
  return alive;
}
