/**
 * `colo up`: makes a running COLO pair of a VM that declares `faultTolerance: { mode: colo }`.
 *
 * 1. The primary: the VM itself, booted as usual (or found running), answering SSH.
 *    (`beforeColo` runs here, on the plain VM.)
 * 2. Its COLO objects added over QMP (proxy chardevs, filter-mirror, filter-redirectors,
 *    colo-compare) — see primary-objects.ts.
 * 3. The secondary on the `secondary` host: the same devices plus filter-redirectors and
 *    filter-rewriter, started with `-incoming defer`, then `x-colo` and `migrate-incoming`.
 * 4. The primary: `x-colo`, `x-checkpoint-delay`, `migrate`; wait until it is in COLO.
 * 5. Watch the first checkpoint (when it comes soon enough): the primary must keep answering.
 *
 * A hung checkpoint or a QEMU that never enters COLO kills both QEMUs and raises the matching
 * error; any other failure once the primary is up kills the secondary and ends the primary when
 * `colo up` booted it, else takes the COLO objects off it and leaves it running as the plain VM
 * it was — and the error says which (see up-failure.ts).
 */
import { refusalFor } from '../lab/adopted-refusals';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { LabModel, VmSpec } from '../lab/model';
import { diskFormatOf } from '../infrastructure/qemu/plan-for-vm';
import { isQmpObject } from '../infrastructure/qmp/messages';
import type { VmInstance, VmKey } from '../machines/vm/backend';
import { locationOf } from '../machines/vm/vm-record';
import { resolveVm } from '../machines/vm/resolve-vm';
import { upVm, type UpDependencies } from '../machines/vm/up';
import { freePorts, pairAddresses } from './addresses';
import { DISK_IDS, primaryDisk, type SecondaryImages } from './disk-args';
import { imageVirtualSize, makeSecondaryImages, resyncAndReplicate } from './disk-setup';
import { ColoError, type ColoQemuFacts } from './errors';
import { killSide, type ColoSide } from './pair-handle';
import { undoFailedUp } from './up-failure';
import { checkVersions, command, enableColo, sideOf } from './setup-steps';
import { startSecondary } from './start-secondary';
import { pairRecordPath, readPairRecord, SECONDARY_SLOT, writePairRecord, type ColoPairRecord } from './pair-record';
import { primaryColoCommands } from './primary-objects';
import { LAB_NETDEV_ID, type ColoProxyPlan } from './proxy-plan';
import { awaitColo, watchFirstCheckpoint, type PrimaryWatch } from './primary-watch';
import type { ColoSideFacts } from './side-status';
import { stateRootOn } from '../machines/vm/run-dir';

/** Options of {@link coloUp}. */
export interface ColoUpOptions {
  /** The local state directory (where the pair's record goes). */
  readonly stateRoot: string;
  /** The state directory on remote hosts (QEMU_LAB_REMOTE_STATE_DIR); default `~/.local/state/qemu-lab` there. */
  readonly remoteStateRoot?: string;
  readonly signal?: AbortSignal;
  /** One line per step, for progress output. */
  readonly onStep?: (text: string) => void;
  /** How long the primary may leave QMP unanswered before its checkpoint counts as hung. Default 10 s. */
  readonly hangBoundMs?: number;
  /** Watch the first checkpoint when it is due within this long. Default 60 s. */
  readonly firstCheckpointWindowMs?: number;
  readonly timeoutMs?: number;
  /**
   * Runs once the primary answers SSH and the pair's checks passed, before anything of COLO is
   * added to it: the same QEMU process as a plain VM (what COLO's cost is measured against).
   * Not called for a pair that runs already. A failure undoes `colo up` as any other.
   */
  readonly beforeColo?: (primary: VmInstance) => Promise<void>;
}

/** What `colo up` set up. */
export interface ColoUpResult {
  readonly record: ColoPairRecord;
  readonly alreadyRunning: boolean;
  readonly primaryPid: number | undefined;
  readonly secondaryPid: number | undefined;
  /** From `migrate` to the primary reporting COLO. */
  readonly enterColoMs: number | undefined;
  /** The primary's facts when `colo up` ended. */
  readonly primary: ColoSideFacts | undefined;
  /** Whether the first checkpoint was watched, and the memory syncs seen meanwhile. */
  readonly firstCheckpoint: { readonly watchedMs: number; readonly syncsBefore: number | undefined; readonly syncsAfter: number | undefined } | undefined;
}

const DEFAULT_HANG_BOUND_MS = 10_000;

/** The disk image's path: relative to the lab file on this machine; a remote primary needs an absolute one. */
function diskPath(lab: LabModel, vm: VmSpec, disk: string): string {
  if (isAbsolute(disk)) return disk;
  if (lab.hosts.get(vm.host)?.kind !== 'local') {
    throw new ColoError(`The COLO disk "${disk}" of VM "${vm.name}" is a relative path, and the primary runs on "${vm.host}".`, {
      hint: `Give its absolute path on host "${vm.host}".`,
    });
  }
  return resolve(dirname(lab.path), disk);
}

/**
 * Sets up the COLO pair of VM `vmName` (see the file comment). A pair that runs already is
 * returned as it is.
 */
export async function coloUp(lab: LabModel, vmName: string, deps: UpDependencies, options: ColoUpOptions): Promise<ColoUpResult> {
  const vm = resolveVm(lab, vmName);
  const adopted = refusalFor(vm, 'colo');
  if (adopted !== undefined) throw new ColoError(`${adopted.problem}.`, { hint: adopted.hint });
  const ft = vm.faultTolerance;
  if (ft === undefined) {
    throw new ColoError(`VM "${vmName}" declares no fault tolerance.`, {
      hint: `Add faultTolerance: { mode: colo, secondary: HOST } to VM "${vmName}" in the lab file.`,
    });
  }
  if (!lab.hosts.has(ft.secondary)) {
    throw new ColoError(`The lab file has no host "${ft.secondary}" for the secondary of VM "${vmName}".`, { hint: 'Add it under hosts:.' });
  }
  const { backend } = deps;
  const step = (text: string) => options.onStep?.(text);
  const hangBoundMs = options.hangBoundMs ?? DEFAULT_HANG_BOUND_MS;
  const secondaryKey: VmKey = { labPath: lab.path, vmName, host: ft.secondary, slot: SECONDARY_SLOT };

  const existingSecondary = await backend.findAt(secondaryKey);
  const home = { labPath: lab.path, vmName, host: vm.host };
  const existingPrimary = await backend.find(home);
  if (existingSecondary?.alive && existingPrimary?.alive) {
    const record = await readPairRecord(options.stateRoot, lab.path, vmName);
    if (record !== undefined && record.state === 'replicating') {
      return { record, alreadyRunning: true, primaryPid: existingPrimary.pid, secondaryPid: existingSecondary.pid, enterColoMs: undefined, primary: undefined, firstCheckpoint: undefined };
    }
  }
  if (existingSecondary?.alive) {
    // A secondary without its primary is a leftover of an earlier pair: it runs no guest of its own.
    step(`ending a leftover secondary (pid ${existingSecondary.pid ?? '?'})`);
    await killSide(sideOf(backend, 'secondary', secondaryKey, existingSecondary));
  }

  step('primary: booting (or finding) the VM');
  const diskImage = ft.disk === undefined ? undefined : diskPath(lab, vm, ft.disk);
  // The primary's COLO disk (a quorum over the image) is a typed part of its launch plan.
  const added = diskImage === undefined ? undefined : { disks: [primaryDisk(diskImage, diskFormatOf(diskImage))] };
  const up = await upVm(lab, vmName, deps, { signal: options.signal, timeoutMs: options.timeoutMs, added });
  const primaryInstance = up.instance;
  const primaryLocation = locationOf(primaryInstance.record);
  const primaryKey: VmKey = { labPath: lab.path, vmName, ...primaryLocation };
  const primary = sideOf(backend, 'primary', primaryKey, primaryInstance);
  let secondary: ColoSide | undefined;
  let pausedByUs = false;
  let touchedPrimary = false;
  let disk: ColoPairRecord['disk'];
  try {
    if (diskImage !== undefined && !primaryInstance.record.argv.some((arg) => arg.includes(`id=${DISK_IDS.quorum},driver=quorum`))) {
      throw new ColoError(`VM "${vmName}" runs without its COLO disk (it was started by a plain up).`, { hint: `Stop it (qemu-lab down ${vmName}) and let qemu-lab colo up ${vmName} boot it.` });
    }
    const secondarySystem = backend.systemOf(secondaryKey);
    const [primaryQemu, secondaryQemu] = await Promise.all([deps.qemu(primary.system, lab.hosts.get(primaryLocation.host)?.qemu), deps.qemu(secondarySystem, lab.hosts.get(ft.secondary)?.qemu)]);
    checkVersions(vm, primaryQemu.version, secondaryQemu.version, ft.secondary);
    const accel = primaryInstance.record.accel;
    if (accel === 'kvm' && !(await deps.kvm(secondarySystem)).usable) {
      throw new ColoError(`VM "${vmName}" runs under KVM, and KVM is not usable on the secondary host "${ft.secondary}".`, { hint: 'Both sides of a COLO pair need the same accelerator.' });
    }
    const facts: ColoQemuFacts = { qemu: primaryQemu.version.text, accel };

    const sameMachine = primaryLocation.host === ft.secondary;
    const { primaryAddress, secondaryAddress } = await pairAddresses(primary.system, secondarySystem, sameMachine);
    const [mirror, secondaryIn, primaryIn, compareOut] = await freePorts(primary.system, 4);
    const plan: ColoProxyPlan = { primaryAddress, ports: { mirror, secondaryIn, primaryIn, compareOut } as ColoProxyPlan['ports'], netdev: LAB_NETDEV_ID };

    if (options.beforeColo !== undefined) {
      step('primary: running as a plain VM before COLO is added');
      await options.beforeColo(primaryInstance);
    }

    touchedPrimary = true;
    step(`primary: adding colo-compare and the network filters (proxy sockets on ${primaryAddress})`);
    for (const c of primaryColoCommands(plan)) await command(backend, primary, c.command, c.args);

    step(`secondary: starting QEMU on "${ft.secondary}" with -incoming defer`);
    let secondaryImages: SecondaryImages | undefined;
    if (diskImage !== undefined) {
      const size = await imageVirtualSize(primary.system, diskImage);
      const dir = join(await stateRootOn(secondarySystem, { local: options.stateRoot, remote: options.remoteStateRoot }), 'colo-disks', basename(pairRecordPath(options.stateRoot, lab.path, vmName), '.json'));
      step(`secondary: making its disk images (${(size / 1048576).toFixed(0)} MiB) in ${dir}`);
      secondaryImages = await makeSecondaryImages(secondarySystem, dir, size);
      disk = { primaryImage: diskImage, secondaryImages };
    }
    const started = await startSecondary(deps, { vm, key: secondaryKey, plan, qemu: secondaryQemu, accel, sameMachine, address: secondaryAddress, images: secondaryImages, signal: options.signal });
    secondary = started.side;
    const uri = started.uri;
    if (started.nbd !== undefined) {
      step(`primary: copying its disk to the secondary (drive-mirror to nbd://${started.nbd.address}:${started.nbd.port}), then the replication child`);
      await resyncAndReplicate(backend, primary, started.nbd, { signal: options.signal, timeoutMs: options.timeoutMs ?? 120_000, onPaused: () => (pausedByUs = true) });
    }

    step(`primary: ${started.capabilities.join(' + ')}, x-checkpoint-delay ${ft.checkpointDelayMs} ms, migrate to ${uri}`);
    await enableColo(backend, primary, primaryQemu.version.text, started.capabilities);
    await command(backend, primary, 'migrate-set-parameters', { 'x-checkpoint-delay': ft.checkpointDelayMs });
    const migrateAt = performance.now();
    await command(backend, primary, 'migrate', { uri });

    // Until the primary is in COLO (the first full copy of memory went over).
    const watch: PrimaryWatch = { backend, primary, facts, hangBoundMs, signal: options.signal };
    const entered = await awaitColo(watch, Date.now() + (options.timeoutMs ?? 120_000));
    const enterColoMs = performance.now() - migrateAt;
    if (pausedByUs) {
      // COLO runs the primary again at its first sync; make sure, in case this QEMU does not.
      const status = await command(backend, primary, 'query-status');
      if (isQmpObject(status) && status.status === 'paused') await command(backend, primary, 'cont');
    }
    step(`primary: in COLO after ${(enterColoMs / 1000).toFixed(1)} s`);

    const record: ColoPairRecord = {
      version: 1,
      labPath: lab.path,
      vmName,
      primary: primaryLocation,
      secondary: { host: ft.secondary, slot: SECONDARY_SLOT },
      plan,
      migrationUri: uri,
      checkpointDelayMs: ft.checkpointDelayMs,
      qemu: { primary: primaryQemu.version.text, secondary: secondaryQemu.version.text },
      accel,
      startedAt: new Date().toISOString(),
      state: 'replicating',
      ...(disk === undefined ? {} : { disk }),
    };
    await writePairRecord(options.stateRoot, record);

    // The first checkpoint: when it is due soon, stay until it is over and the primary still answers.
    let firstCheckpoint: ColoUpResult['firstCheckpoint'];
    let last = entered;
    if (ft.checkpointDelayMs <= (options.firstCheckpointWindowMs ?? 60_000)) {
      step(`watching the first checkpoint (due within ${(ft.checkpointDelayMs / 1000).toFixed(1)} s)`);
      const watchStart = performance.now();
      try {
        last = await watchFirstCheckpoint(watch, ft.checkpointDelayMs, entered);
        firstCheckpoint = { watchedMs: performance.now() - watchStart, syncsBefore: entered.dirtySyncCount, syncsAfter: last.dirtySyncCount };
      } catch (error) {
        // Ctrl-C while watching: the pair is up; only the watch ends.
        if (options.signal?.aborted !== true) throw error;
      }
    }
    return {
      record,
      alreadyRunning: false,
      primaryPid: primaryInstance.pid,
      secondaryPid: secondary.instance?.pid,
      enterColoMs,
      primary: last,
      firstCheckpoint,
    };
  } catch (error) {
    throw await undoFailedUp(error, {
      backend,
      stateRoot: options.stateRoot,
      labPath: lab.path,
      vmName,
      primary,
      bootedPrimary: !up.alreadyRunning,
      touchedPrimary,
      secondary,
      secondaryKey,
      disk: disk !== undefined,
      pausedByUs,
    });
  }
}
