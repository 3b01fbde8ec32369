/**
 * What `colo up` set up, kept on this machine so that `colo status`, `colo failover` and the
 * heartbeat (later CLI runs, or the editor) find the pair again: where each QEMU runs, the
 * proxy plan, the QEMU versions, and the last failover.
 */
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-write';
import type { VmLocation } from '../vm/vm-record';
import { vmRunDir } from '../vm/run-dir';
import type { SecondaryImages } from './disk-args';
import type { ColoProxyPlan } from './proxy-plan';

/** The run-directory slot of a secondary QEMU on its host. */
export const SECONDARY_SLOT = 'colo-secondary';

/** Who runs the guest. */
export type ColoRole = 'primary' | 'secondary';

/** The last failover of a pair. */
export interface ColoFailover {
  /** Which side took over (and runs the guest alone from then on). */
  readonly survivor: ColoRole;
  /** Why: `primary-lost` (heartbeat), `secondary-lost`, `command`. */
  readonly reason: string;
  readonly at: string;
  /** From noticing (or the command) to the survivor running alone. */
  readonly durationMs: number;
}

/** A COLO pair as `colo up` left it (and failovers changed it). */
export interface ColoPairRecord {
  readonly version: 1;
  readonly labPath: string;
  readonly vmName: string;
  readonly primary: VmLocation;
  readonly secondary: VmLocation;
  readonly plan: ColoProxyPlan;
  readonly migrationUri: string;
  readonly checkpointDelayMs: number;
  readonly qemu: { readonly primary: string; readonly secondary: string };
  readonly accel: 'kvm' | 'tcg';
  readonly startedAt: string;
  /** `replicating` after `colo up`; `failed-over` once one side runs alone. */
  readonly state: 'replicating' | 'failed-over';
  /** The replicated disk: the primary's image, and the secondary's images (parent = its copy). */
  readonly disk?: { readonly primaryImage: string; readonly secondaryImages: SecondaryImages };
  readonly lastFailover?: ColoFailover;
}

/** Where the record of a VM's pair lives (in the local state directory). */
export function pairRecordPath(stateRoot: string, labPath: string, vmName: string): string {
  return join(stateRoot, 'colo', `${basename(vmRunDir(stateRoot, labPath, 'local', vmName))}.json`);
}

function isLocation(value: unknown): value is VmLocation {
  return typeof value === 'object' && value !== null && typeof (value as { host?: unknown }).host === 'string';
}

/** Parses a record; undefined when it is missing or not one of ours. */
export function parsePairRecord(text: string | undefined): ColoPairRecord | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<ColoPairRecord>;
  if (record.version !== 1 || typeof record.vmName !== 'string' || typeof record.labPath !== 'string') return undefined;
  if (!isLocation(record.primary) || !isLocation(record.secondary) || typeof record.plan !== 'object') return undefined;
  return record as ColoPairRecord;
}

/** Reads the record of a VM's pair. */
export async function readPairRecord(stateRoot: string, labPath: string, vmName: string): Promise<ColoPairRecord | undefined> {
  return parsePairRecord(await readFile(pairRecordPath(stateRoot, labPath, vmName), 'utf8').catch(() => undefined));
}

/** Writes it atomically (never a torn record), mode 0600 in a 0700 directory. */
export async function writePairRecord(stateRoot: string, record: ColoPairRecord): Promise<void> {
  const path = pairRecordPath(stateRoot, record.labPath, record.vmName);
  await writeFileAtomically(path, JSON.stringify(record, null, 2) + '\n', { mode: 0o600, directoryMode: 0o700 });
}

/** Forgets a VM's pair (after a failed `colo up`). */
export async function removePairRecord(stateRoot: string, labPath: string, vmName: string): Promise<void> {
  await rm(pairRecordPath(stateRoot, labPath, vmName), { force: true });
}
