import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { connectTap, type TapPlan } from '../../infrastructure/network/tap-network';
import { QmpClient } from '../../infrastructure/qmp/client';
import { waitForSsh } from '../guest-access/guest-ssh';
import type { BootRequest, VmHostAccess } from './backend';
import { isOurQemu } from './process';
import { waitForSerialMarker } from './serial-log';
import type { VmRecord } from './vm-record';

const QMP_TIMEOUT_MS = 10_000;

/** A QEMU just launched, and what to wait for. */
export interface StartedQemu {
  readonly system: HostSystem;
  readonly record: VmRecord;
  readonly pid: number;
  readonly tapPlan: TapPlan | undefined;
  /** When the whole boot must be over (epoch ms). */
  readonly deadline: number;
}

async function queryStatusAnswers(connectQmp: VmHostAccess['connectQmp'], record: VmRecord): Promise<void> {
  const qmp = new QmpClient({ defaultTimeoutMs: QMP_TIMEOUT_MS });
  await connectQmp(record, qmp);
  try {
    const status = await qmp.execute('query-status');
    if (typeof status !== 'object' || status === null) throw new VmError('query-status gave no status.');
  } finally {
    await qmp.disconnect();
  }
}

/**
 * Boot step 6: waits until the VM is usable — QMP answers, its TAP is on the bridge, the guest
 * printed its ready marker, SSH answers (each only when it applies). A migration destination runs
 * no guest until the migration arrives: it is ready once QMP answers.
 */
export async function waitUntilReady(started: StartedQemu, request: BootRequest, connectQmp: VmHostAccess['connectQmp']): Promise<void> {
  const { system, record, pid, tapPlan, deadline } = started;
  await queryStatusAnswers(connectQmp, record);
  // QEMU opens its QMP socket before it creates devices, and answers only once it has: from
  // here on its TAP exists.
  if (tapPlan !== undefined) await connectTap(system, tapPlan);
  request.onStage?.('QMP ready');
  if (request.incoming !== undefined) return;
  await waitForGuest(system, record, request, deadline, () => isOurQemu(system, pid, record.files.pidFile));
}

/**
 * The guest's part of being ready, whatever started its QEMU: its ready marker on the serial
 * console (the built-in guest), then SSH (where the VM has it), both within `deadline`.
 */
export async function waitForGuest(system: HostSystem, record: VmRecord, request: BootRequest, deadline: number, isAlive: () => Promise<boolean>): Promise<void> {
  if (request.readyMarker !== undefined) {
    request.onStage?.('kernel booting');
    await waitForSerialMarker(system, {
      serialLog: record.files.serialLog,
      marker: request.readyMarker,
      timeoutMs: Math.max(1, deadline - Date.now()),
      isAlive,
      signal: request.signal,
    });
  }
  if (record.ssh !== undefined) {
    await waitForSsh(system, record.ssh, Math.max(1, deadline - Date.now()), request.signal);
    request.onStage?.('SSH ready');
  }
}
