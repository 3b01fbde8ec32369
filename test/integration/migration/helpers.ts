/**
 * Helpers for the migration tests: drive the real CLI, read `status --json`, put a known
 * pattern into guest RAM and check it, and make the guest dirty its memory.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { CliRun } from '../../support/run-cli';

/** Runs the CLI with the test's lab and environment. */
export type Cli = (...args: string[]) => Promise<CliRun>;

/** A VM as `qemu-lab --json status` shows it. */
export interface StatusRow {
  vm: string;
  host: string;
  state: string;
  pid?: number;
  reason?: string;
  ssh?: { host: string; port: number };
}

/** The status of one VM. */
export async function statusOf(cli: Cli, vm: string): Promise<StatusRow> {
  const run = await cli('--json', 'status');
  expect(run.code, run.stderr).toBe(0);
  const row = (JSON.parse(run.stdout) as StatusRow[]).find((s) => s.vm === vm);
  if (row === undefined) throw new Error(`status has no ${vm}`);
  return row;
}

/**
 * Runs a shell line in the guest through the CLI, on whichever host the VM runs (`up` on a
 * running VM only reattaches; `--exec` runs the command through the VM's host).
 */
export function guestExec(cli: Cli, vm: string, script: string): Promise<CliRun> {
  return cli('up', vm, '--exec', script);
}

/** A 16 MiB file whose content the test knows (and so its SHA-256), written by the guest into its RAM-backed /tmp. */
const KNOWN_LINE = 'qemu-lab migration pattern 0123456789abcdef\n';
const KNOWN_BYTES = 16 * 1024 * 1024;

/** The SHA-256 of the known pattern, computed here. */
export function knownPatternSha256(): string {
  const line = Buffer.from(KNOWN_LINE);
  const whole = Buffer.alloc(KNOWN_BYTES);
  for (let offset = 0; offset < KNOWN_BYTES; offset += line.length) line.copy(whole, offset);
  return createHash('sha256').update(whole).digest('hex');
}

/**
 * Writes the guest's memory patterns: the known one, and 48 MiB of random bytes whose SHA-256
 * the guest reports. Both live in tmpfs (guest RAM), so they move with the migration.
 */
export async function writePatterns(cli: Cli, vm: string): Promise<{ known: string; random: string }> {
  const script = [
    `yes '${KNOWN_LINE.trimEnd()}' | head -c ${KNOWN_BYTES} > /tmp/known`,
    'head -c 50331648 /dev/urandom > /tmp/random',
    'sha256sum /tmp/known /tmp/random',
  ].join(' && ');
  const run = await guestExec(cli, vm, script);
  expect(run.code, run.stderr).toBe(0);
  return parseSums(run.stdout);
}

/** The SHA-256 of the patterns as the guest sees them now. */
export async function readPatterns(cli: Cli, vm: string): Promise<{ known: string; random: string }> {
  const run = await guestExec(cli, vm, 'sha256sum /tmp/known /tmp/random');
  expect(run.code, run.stderr).toBe(0);
  return parseSums(run.stdout);
}

function parseSums(text: string): { known: string; random: string } {
  const sum = (file: string) => new RegExp(`^([0-9a-f]{64})\\s+/tmp/${file}$`, 'm').exec(text)?.[1] ?? `no sum of ${file} in: ${text}`;
  return { known: sum('known'), random: sum('random') };
}

/**
 * Starts sysbench in the guest rewriting a 128 MiB buffer over and over (≈4.7 GB/s under TCG
 * here, far more than a migration sends), and waits until it runs.
 */
export async function startDirtying(cli: Cli, vm: string, seconds = 300): Promise<void> {
  const start = await guestExec(
    cli,
    vm,
    `sysbench memory --memory-block-size=128M --memory-total-size=1000000G --time=${seconds} run >/dev/null 2>&1 </dev/null & sleep 2; pidof sysbench`,
  );
  expect(start.code, start.stderr).toBe(0);
  expect(start.stdout).toMatch(/^\d+$/m);
}

/** Stops the dirtying load. */
export async function stopDirtying(cli: Cli, vm: string): Promise<void> {
  await guestExec(cli, vm, 'killall sysbench; true');
}

/** The summary of `qemu-lab --json migrate`. */
export interface SummaryJson {
  status: string;
  phase: string;
  from: { host: string; slot?: string };
  to: { host: string; slot?: string };
  uri: string;
  wallTimeMs: number;
  totalTimeMs?: number;
  downtimeMs?: number;
  setupTimeMs?: number;
  ram: { transferredBytes?: number; totalBytes?: number };
  dirtySyncCount?: number;
  maxCpuThrottlePercentage?: number;
  settings: { capabilities: string[]; maxBandwidthBytesPerSecond?: number; downtimeLimitMs?: number };
  nonConvergence?: { reason: string; fixes: { fix: string }[] };
  ssh?: { host: string; port: number };
  error?: string;
  phases: Record<string, number>;
}
