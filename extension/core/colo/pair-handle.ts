/**
 * A COLO pair found again from its record: both QEMUs (alive or not), the hosts they run on,
 * and the keys the backend knows them by.
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import type { QmpClient } from '../infrastructure/qmp/client';
import type { HostVmBackend, VmInstance, VmKey } from '../machines/vm/backend';
import { isOurQemu, waitForExit } from '../machines/vm/process';
import { ColoError } from './errors';
import { readPairRecord, type ColoPairRecord, type ColoRole } from './pair-record';

/** One QEMU of a pair. */
export interface ColoSide {
  readonly role: ColoRole;
  readonly key: VmKey;
  readonly system: HostSystem;
  /** Undefined when its run directory holds no record (never started, or cleaned up). */
  readonly instance: VmInstance | undefined;
}

/** Both QEMUs of a pair and its record. */
export interface ColoPair {
  readonly record: ColoPairRecord;
  readonly primary: ColoSide;
  readonly secondary: ColoSide;
}

function keyOf(record: ColoPairRecord, role: ColoRole): VmKey {
  const location = role === 'primary' ? record.primary : record.secondary;
  return { labPath: record.labPath, vmName: record.vmName, host: location.host, ...(location.slot === undefined ? {} : { slot: location.slot }) };
}

async function sideOf(backend: HostVmBackend, record: ColoPairRecord, role: ColoRole): Promise<ColoSide> {
  const key = keyOf(record, role);
  return { role, key, system: backend.systemOf(key), instance: await backend.findAt(key) };
}

/** Finds the pair of a VM; a {@link ColoError} when `colo up` never set one up. */
export async function loadPair(backend: HostVmBackend, stateRoot: string, labPath: string, vmName: string): Promise<ColoPair> {
  const record = await readPairRecord(stateRoot, labPath, vmName);
  if (record === undefined) {
    throw new ColoError(`VM "${vmName}" has no COLO pair.`, { hint: `Set one up with qemu-lab colo up ${vmName}.` });
  }
  const [primary, secondary] = await Promise.all([sideOf(backend, record, 'primary'), sideOf(backend, record, 'secondary')]);
  return { record, primary, secondary };
}

/** Whether a side's QEMU still lives (and is ours). */
export async function sideAlive(side: ColoSide): Promise<boolean> {
  const pid = side.instance?.pid;
  if (side.instance === undefined || pid === undefined || pid <= 1) return false;
  return isOurQemu(side.system, pid, side.instance.record.files.pidFile);
}

/**
 * Ends a side's QEMU with SIGKILL at once — no `quit` over QMP first: the QEMUs this is for are
 * hung, or must stop before the other side takes over (fencing). Waits until it is gone.
 */
export async function killSide(side: ColoSide): Promise<void> {
  const pid = side.instance?.pid;
  if (side.instance === undefined || pid === undefined || pid <= 1) return;
  const marker = side.instance.record.files.pidFile;
  if (!(await isOurQemu(side.system, pid, marker))) return;
  await side.system.kill(pid);
  await waitForExit(side.system, pid, marker, 10_000);
}

/** A connector for {@link probeQmp} and friends: the side's command monitor, locally or over SSH. */
export function sideConnector(backend: HostVmBackend, side: ColoSide): (client: QmpClient) => Promise<void> {
  return async (client) => {
    if (side.instance === undefined) throw new ColoError(`The ${side.role} of VM "${side.key.vmName}" has no run record.`);
    await backend.connectQmp(side.instance.record, client);
  };
}
