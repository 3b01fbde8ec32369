// Which processes a test started, found honestly from /proc.
//
// The browser: every process Chromium starts carries the harness's marker variable in its
// environment (/proc/PID/environ is the environment a process was started with).
//
// The extension: only its extension host carries EXTENSION_HOST_MARKER — the workbench passes it
// as the extension host's environment (the URL payload's `extensionEnvironment`, what a launch
// configuration's `env` does when debugging an extension) — and everything the extension host
// starts inherits it, including what leaves the process tree (QEMU daemonizes) and the terminals
// the extension opens (VS Code gives remote terminals that environment too). The server's own
// processes do not carry it: the shell-environment probe (`$SHELL -i -l -c …`, which runs the
// user's dotfiles) and the pty host start from the server's environment.
//
// The extension host itself, and what VS Code runs from it on its own account (built-in
// extensions, ripgrep, the port scan), also carry the marker: startedByVsCode() tells them apart.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly command: string;
}

/** An environment variable that names the processes of one session or run. */
export interface Marker {
  readonly name: string;
  readonly value: string;
}

/** How long what a session started may take to exit once its server and browser are stopped. */
export const STOP_GRACE_MS = 10_000;

/** Set (with the session's id) in the environment of the extension host, and so of its children. */
export const EXTENSION_HOST_MARKER = 'QEMU_LAB_E2E_EXTHOST';

/** How to recognise the processes one extension host started for the extension. */
export interface ExtensionProcessQuery {
  readonly marker: Marker;
  /** VS Code's installation (`vscode.env.appRoot`; in code-server, its lib/vscode folder). */
  readonly vscodeRoot: string;
}

/**
 * What the extension host's port scan runs (ExtHostTunnelService.findCandidatePorts, once when a
 * remote extension host starts on Linux and then periodically while port finding is on): VS Code's.
 * The pipeline's members too, for when their shell is gone before they are.
 */
const VSCODE_PORT_SCAN: ReadonlySet<string> = new Set([
  '/bin/sh -c ls -l /proc/[0-9]*/fd/[0-9]* | grep socket:',
  'grep socket:',
  '/bin/sh -c ps -F -A -l | grep root',
  'ps -F -A -l',
  'grep root',
]);

interface ProcessEntry extends ProcessInfo {
  /** The process's environment holds the marker asked for. */
  readonly marked: boolean;
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

function hasMarker(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle);
  } catch {
    return false; // gone meanwhile
  }
}

/** Every live process but this one, with whether its environment holds `marker`. */
function snapshot(marker: Marker): Map<number, ProcessEntry> {
  const needle = `${marker.name}=${marker.value}`;
  const entries = new Map<number, ProcessEntry>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const info = readProcess(pid);
    if (info !== undefined) entries.set(pid, { ...info, marked: hasMarker(pid, needle) });
  }
  return entries;
}

const strip = ({ pid, ppid, pgid, command }: ProcessEntry): ProcessInfo => ({ pid, ppid, pgid, command });

/** Live processes whose environment holds the marker. */
export function processesWithMarker(name: string, value: string): ProcessInfo[] {
  return [...snapshot({ name, value }).values()].filter((p) => p.marked).map(strip);
}

function isExtensionHost(command: string, vscodeRoot: string): boolean {
  return command.includes(`${vscodeRoot}/out/`) && command.includes('--type=extensionHost');
}

/** A command VS Code runs on its own account: a program or script of its installation, or its port scan. */
export function startedByVsCode(command: string, vscodeRoot: string): boolean {
  return command.includes(`${vscodeRoot}/`) || VSCODE_PORT_SCAN.has(command) || command.startsWith('ls -l /proc/');
}

/**
 * The live processes the extension started: those carrying the extension host's marker, but the
 * extension host and whatever VS Code runs from it itself (and their children). A process that
 * left the tree (a daemon, reparented to init) counts as the extension's: VS Code starts none.
 */
export function extensionProcesses(query: ExtensionProcessQuery): ProcessInfo[] {
  const all = snapshot(query.marker);
  const ours = (entry: ProcessEntry): boolean => {
    if (isExtensionHost(entry.command, query.vscodeRoot)) return false;
    // Up the tree while the marker holds, to the extension host: anything of VS Code's on the
    // way (e.g. the shell of its port scan) makes this VS Code's too.
    for (let p: ProcessEntry | undefined = entry; p?.marked === true; p = all.get(p.ppid)) {
      if (isExtensionHost(p.command, query.vscodeRoot)) return true;
      if (startedByVsCode(p.command, query.vscodeRoot)) return false;
    }
    return true;
  };
  return [...all.values()].filter((p) => p.marked && ours(p)).map(strip);
}

/** Live members of a process group. */
export function processGroup(pgid: number): ProcessInfo[] {
  const members: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info?.pgid === pgid) members.push(info);
  }
  return members;
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
 * Ends what `alive` lists: SIGTERM to the group, a grace period for everything listed to exit,
 * then SIGKILL, by pid, to whatever did not. Returns the processes that outlived the grace period
 * (a leak the caller reports as a failure).
 */
export async function endProcesses(alive: () => ProcessInfo[], pgid: number | undefined, graceMs: number): Promise<ProcessInfo[]> {
  if (pgid !== undefined) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let left = alive();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = alive();
  }
  if (left.length === 0) return [];
  for (const p of left) signalPid(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (alive().length > 0 && Date.now() < killDeadline) await sleep(100);
  return left;
}

/** Ends what a marker names (see endProcesses). */
export async function endMarked(marker: Marker, pgid: number | undefined, graceMs = STOP_GRACE_MS): Promise<ProcessInfo[]> {
  return endProcesses(() => processesWithMarker(marker.name, marker.value), pgid, graceMs);
}
