import type { HostSystem } from '../hosts/host-system';

/** The pid in a QEMU pidfile, or undefined when there is none. */
export async function readPidFile(system: HostSystem, path: string): Promise<number | undefined> {
  const text = await system.readText(path);
  const pid = Number.parseInt((text ?? '').trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/**
 * Whether `pid` is alive and still the QEMU we started: one of its arguments must be exactly
 * `marker` (the VM's pidfile path, which QEMU takes as a plain argument — option values such as
 * socket paths are escaped inside `key=value` lists), so a reused pid never passes for our VM.
 */
export async function isOurQemu(system: HostSystem, pid: number, marker: string): Promise<boolean> {
  const [cmdline, stat] = await Promise.all([system.readText(`/proc/${pid}/cmdline`), system.readText(`/proc/${pid}/stat`)]);
  if (cmdline === undefined || stat === undefined) return false;
  // A zombie has exited; only its parent has not reaped it yet.
  const zombie = /\) Z /.test(stat);
  return !zombie && cmdline.split('\0').includes(marker);
}

/** Waits until `pid` is gone (or not ours any more), polling; resolves false on timeout. */
export async function waitForExit(system: HostSystem, pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const pause = system.isLocal ? 100 : 250;
  while (Date.now() < deadline) {
    if (!(await isOurQemu(system, pid, marker))) return true;
    await new Promise((r) => setTimeout(r, pause));
  }
  return !(await isOurQemu(system, pid, marker));
}
