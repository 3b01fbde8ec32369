import { readFile } from 'node:fs/promises';

/** The pid in a QEMU pidfile, or undefined when there is none. */
export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is alive and still the QEMU we started: one of its arguments must be exactly
 * `marker` (the VM's pidfile path, which QEMU takes as a plain argument — option values such as
 * socket paths are escaped inside `key=value` lists), so a reused pid never passes for our VM.
 */
export async function isOurQemu(pid: number, marker: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    const state = await readFile(`/proc/${pid}/stat`, 'utf8');
    // A zombie has exited; only its parent has not reaped it yet.
    const zombie = /\) Z /.test(state);
    return !zombie && cmdline.split('\0').includes(marker);
  } catch {
    return false;
  }
}

/** Waits until `pid` is gone (or not ours any more), polling; resolves false on timeout. */
export async function waitForExit(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isOurQemu(pid, marker))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !(await isOurQemu(pid, marker));
}
