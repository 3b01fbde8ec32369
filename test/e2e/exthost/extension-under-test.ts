// Helpers the extension-host suites share: the extension under test, its manifest, the commands
// of ours that are registered, and the processes the extension host has started.
import * as vscode from 'vscode';
import { EXTENSION_HOST_MARKER, extensionProcesses } from '../harness/processes';

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
 * The live processes the extension started, counted as the harness counts them at teardown
 * (../harness/processes.ts): those carrying this extension host's marker, but VS Code's own.
 */
export function extensionStartedProcesses(): ChildProcessInfo[] {
  const value = process.env[EXTENSION_HOST_MARKER];
  if (value === undefined) throw new Error(`${EXTENSION_HOST_MARKER} is not in the extension host's environment: start it through the e2e harness`);
  return extensionProcesses({ marker: { name: EXTENSION_HOST_MARKER, value }, vscodeRoot: vscode.env.appRoot }).map(({ pid, command }) => ({ pid, command }));
}
