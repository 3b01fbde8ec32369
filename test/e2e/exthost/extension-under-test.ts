// Helpers the extension-host suites share: the extension under test, its manifest, the commands
// of ours that are registered, and the processes the extension host has started.
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'qemu-lab.qemu-lab';

export interface Manifest {
  readonly main: string;
  readonly activationEvents?: readonly string[];
  readonly contributes: { readonly commands: readonly { readonly command: string }[] };
}

export function extensionUnderTest(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (extension === undefined) throw new Error(`${EXTENSION_ID} is not loaded: is extensionDevelopmentPath right?`);
  return extension;
}

export function manifest(): Manifest {
  return extensionUnderTest().packageJSON as Manifest;
}

export function contributedCommands(): string[] {
  return manifest().contributes.commands.map((c) => c.command).sort();
}

/** Registered commands whose id starts with `qemuLab.`, sorted. The workbench itself registers
 * some for each view (qemuLab.hosts.focus, …): compare against a baseline taken first. */
export async function ourRegisteredCommands(): Promise<string[]> {
  return (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('qemuLab.')).sort();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` is true, or fails with `what` and the last value. */
export async function eventually<T>(what: string, read: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

export interface ChildProcessInfo {
  readonly pid: number;
  readonly command: string;
}

/**
 * What the extension host's tunnel service runs by itself to find ports that root listens on
 * (ExtHostTunnelService's heuristic, even with remote.autoForwardPorts off): VS Code's, not ours.
 */
const VSCODE_PORT_SCAN: ReadonlySet<string> = new Set(['/bin/sh -c ps -F -A -l | grep root', 'ps -F -A -l', 'grep root']);

/** Every live descendant of this extension host process, from /proc, but VS Code's own. */
export function descendantProcesses(root = process.pid): ChildProcessInfo[] {
  const parent = new Map<number, number>();
  const command = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parent.set(Number(entry), Number(fields[1]));
      command.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // gone meanwhile
    }
  }
  const result: ChildProcessInfo[] = [];
  for (const [pid] of parent) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        const line = command.get(pid) ?? '';
        // VS Code's own built-in extensions (e.g. the JSON language server) start processes of
        // their own whenever the workbench wants them; only ours count here.
        if (!line.includes('/lib/vscode/extensions/') && !VSCODE_PORT_SCAN.has(line)) result.push({ pid, command: line });
        break;
      }
    }
  }
  return result;
}
