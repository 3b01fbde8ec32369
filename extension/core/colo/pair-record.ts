/**
 * What `colo up` set up, kept on this machine so that `colo status`, `colo failover` and the
 * heartbeat (later CLI runs, or the editor) find the pair again: where each QEMU runs, the
 * proxy plan, the QEMU versions, and the last failover.
 */
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomically } from '../infrastructure/files/atomic-write';
import { readPrivateState } from '../infrastructure/files/private-state';
import { RecordFields } from '../infrastructure/files/record-fields';
import { LocalHostSystem } from '../infrastructure/hosts/system/host-system';
import type { VmLocation } from '../machines/vm/vm-record';
import { vmRunDir } from '../machines/vm/run-dir';
import type { SecondaryImages } from './disk-args';
import { checkProxyPlan, type ColoProxyPlan } from './proxy-plan';

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

function location(fields: RecordFields): VmLocation {
  return fields.has('slot') ? { host: fields.name('host'), slot: fields.name('slot') } : { host: fields.name('host') };
}

/**
 * Parses a record; undefined when it is missing, not JSON or not version 1. A version-1 record
 * is held to the schema QEMU Lab writes and rebuilt from its checked fields only.
 *
 * @throws StateTrustError when a version-1 record breaks the schema.
 */
export function parsePairRecord(text: string | undefined, where = 'of the COLO pair'): ColoPairRecord | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = RecordFields.of(value, where);
  if (r === undefined || (value as { version?: unknown }).version !== 1) return undefined;
  const p = r.object('plan');
  const ports = p.object('ports');
  const plan: ColoProxyPlan = {
    primaryAddress: p.ipAddress('primaryAddress'),
    ports: { mirror: ports.port('mirror'), secondaryIn: ports.port('secondaryIn'), primaryIn: ports.port('primaryIn'), compareOut: ports.port('compareOut') },
    netdev: p.string('netdev'),
  };
  try {
    checkProxyPlan(plan);
  } catch (error) {
    p.fail('netdev', `or a port is not usable: ${(error as Error).message}`);
  }
  const qemu = r.object('qemu');
  let disk: ColoPairRecord['disk'];
  if (r.has('disk')) {
    const d = r.object('disk');
    const images = d.object('secondaryImages');
    disk = { primaryImage: d.absolutePath('primaryImage'), secondaryImages: { parent: images.absolutePath('parent'), active: images.absolutePath('active'), hidden: images.absolutePath('hidden') } };
  }
  let lastFailover: ColoFailover | undefined;
  if (r.has('lastFailover')) {
    const f = r.object('lastFailover');
    lastFailover = { survivor: f.oneOf('survivor', ['primary', 'secondary'] as const), reason: f.string('reason'), at: f.string('at'), durationMs: f.integer('durationMs', 0, Number.MAX_SAFE_INTEGER) };
  }
  return {
    version: 1,
    labPath: r.absolutePath('labPath'),
    vmName: r.name('vmName'),
    primary: location(r.object('primary')),
    secondary: location(r.object('secondary')),
    plan,
    migrationUri: r.string('migrationUri'),
    checkpointDelayMs: r.integer('checkpointDelayMs', 0, 3_600_000),
    qemu: { primary: qemu.string('primary'), secondary: qemu.string('secondary') },
    accel: r.oneOf('accel', ['kvm', 'tcg'] as const),
    startedAt: r.string('startedAt'),
    state: r.oneOf('state', ['replicating', 'failed-over'] as const),
    ...(disk === undefined ? {} : { disk }),
    ...(lastFailover === undefined ? {} : { lastFailover }),
  };
}

/**
 * Reads the record of a VM's pair, only when the state directory and the record are the user's
 * own (see private-state.ts).
 */
export async function readPairRecord(stateRoot: string, labPath: string, vmName: string): Promise<ColoPairRecord | undefined> {
  const path = pairRecordPath(stateRoot, labPath, vmName);
  return parsePairRecord(await readPrivateState(new LocalHostSystem(), stateRoot, path), path);
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
