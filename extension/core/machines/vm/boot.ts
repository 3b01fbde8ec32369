/**
 * One boot of a VM as a QEMU process on its host, in order: prepare the run directory → a disk
 * image's overlay → the state disk for snapshots' memory → choose the network (ports or TAP) →
 * plan (pure) → write the record → launch → wait until ready. Each step is its own function; this file only strings them together and
 * cleans up a failed start.
 */
import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { BootMedia } from '../../infrastructure/qemu/launch-plan';
import { networkSide } from '../../infrastructure/network/tap-network';
import { buildQemuArgv } from '../../infrastructure/qemu/argv';
import { planForVm } from '../../infrastructure/qemu/plan-for-vm';
import type { BootRequest, HostVmBackend, VmInstance } from './backend';
import { chooseNetwork } from './boot-network';
import { bootRecord, writeVmRecord } from './boot-record';
import { defaultBootTimeoutMs } from './boot-timeout';
import { prepareBootDisk } from './boot-disk';
import { prepareRunDir } from './boot-run-dir';
import { prepareStateDisk } from './boot-state-disk';
import { waitUntilReady, type StartedQemu } from './boot-wait';
import { launchDetachedQemu } from './launch-qemu';
import { waitForExit } from './process';

const LAUNCH_TIMEOUT_MS = 30_000;

/** Where a boot happens: the VM's host, its state directory there and the VM's run directory in it. */
export interface BootPlace {
  readonly system: HostSystem;
  readonly root: string;
  readonly dir: string;
}

/** What a boot needs of its backend: QMP, and ending a QEMU and its network when the start fails. */
export type BootBackend = Pick<HostVmBackend, 'connectQmp' | 'releaseNetwork' | 'kill'>;

/** Boots the VM of `request` at `place` (see the file comment); the VM is usable when this returns. */
export async function bootQemu(place: BootPlace, given: BootRequest, backend: BootBackend): Promise<VmInstance> {
  const { system } = place;
  const files = await prepareRunDir(system, place.root, place.dir, { vnc: given.vm.vnc });
  const boot = await prepareBootDisk(system, place.root, given);
  // Booting the ISO runs the ISO's system, not the disk's: no login of the VM answers there, so
  // this boot neither waits for SSH nor records an endpoint. (A migration destination runs what
  // the source runs, and keeps the lab's login.)
  const fromIso = boot.kind === 'disk' && boot.cdrom?.boot === 'cdrom' && given.incoming === undefined;
  const request = fromIso ? { ...given, guestSsh: undefined } : given;
  try {
    return await bootOnDisk(place, request, backend, files, boot);
  } catch (error) {
    // A disk made for a disk copy holds nothing yet: a failed start leaves none behind.
    if (request.incoming !== undefined && request.overlay?.receive?.kind === 'copy' && boot.kind === 'disk') await system.removeFiles([boot.image]).catch(() => undefined);
    throw error;
  }
}

/** The rest of {@link bootQemu} once the run directory and the disk are there. */
async function bootOnDisk(place: BootPlace, request: BootRequest, backend: BootBackend, files: Awaited<ReturnType<typeof prepareRunDir>>, boot: BootMedia): Promise<VmInstance> {
  const { system } = place;
  const stateDisk = await prepareStateDisk(system, place.dir, boot, request.signal);
  const network = await chooseNetwork(system, request);
  const plan = planForVm(request.vm, {
    accel: request.accel.accel,
    boot,
    network: network.attachment,
    files,
    incoming: request.incoming,
    added: request.added,
    ...(stateDisk === undefined ? {} : { stateDisk }),
  });
  const argv = buildQemuArgv(plan);
  const record = bootRecord(request, argv, files, network, new Date().toISOString());
  await writeVmRecord(system, files.record, record);

  const deadline = Date.now() + (request.timeoutMs ?? defaultBootTimeoutMs(request));
  request.onStage?.('starting QEMU');
  const { pid } = await launchDetachedQemu(networkSide(system, network.tapPlan?.namespace), {
    qemuBinary: request.qemuBinary,
    argv,
    stderrLog: files.stderrLog,
    qmpSocket: files.qmpSocket,
    pidFile: files.pidFile,
    timeoutMs: LAUNCH_TIMEOUT_MS,
    signal: request.signal,
  }).catch(async (error: unknown) => {
    await backend.releaseNetwork(record);
    throw error;
  });
  const instance: VmInstance = { record, pid, alive: true };
  const started: StartedQemu = { system, record, pid, tapPlan: network.tapPlan, deadline };
  try {
    await waitUntilReady(started, request, (r, client, monitor) => backend.connectQmp(r, client, monitor));
  } catch (error) {
    throw await failedStart(started, instance, backend, error);
  }
  return instance;
}

/**
 * The error of a start that failed after launch, with nothing left behind: QEMU opens its sockets
 * before it creates devices, so a bad device can end it after the socket appeared — then what
 * QEMU said is the error, not the refused connection. A QEMU still running is ended.
 */
async function failedStart(started: StartedQemu, instance: VmInstance, backend: BootBackend, error: unknown): Promise<unknown> {
  const { system, record, pid } = started;
  if (await waitForExit(system, pid, record.files.pidFile, 500)) {
    await backend.releaseNetwork(record);
    const said = ((await system.readText(record.files.stderrLog)) ?? '').trim().split('\n').slice(-8).join('\n');
    return new VmError(`QEMU exited while starting${said ? `:\n${said}` : '.'}`, {
      hint: `QEMU's full output is in ${record.files.stderrLog} on host "${system.name}".`,
      cause: error,
    });
  }
  await backend.kill(instance).catch(() => undefined);
  return error;
}
