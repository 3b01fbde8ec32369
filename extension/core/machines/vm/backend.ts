import type { NetworkSpec, VmSpec } from '../../lab/model';
import type { AccelChoice } from '../../infrastructure/hosts/probes/kvm';
import type { BootMedia, DiskFormat } from '../../infrastructure/qemu/launch-plan';
import type { AddedPlanParts } from '../../infrastructure/qemu/plan-for-vm';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { QmpClient } from '../../infrastructure/qmp/client';
import type { QmpValue } from '../../infrastructure/qmp/messages';
import type { VmMove, VmRecord } from './vm-record';
import type { VmStatus } from './vm-status';

/** Which VM: a VM name is unique within its lab file; the host says where it runs. */
export interface VmKey {
  readonly labPath: string;
  readonly vmName: string;
  /** The lab's name of the host (`local`, `lab-b`). */
  readonly host: string;
  /**
   * A second run directory on that host, for the destination of a same-host migration; absent
   * for the usual one. Keys from the lab file never have one: `find` follows a VM that moved.
   */
  readonly slot?: string;
}

/** A VM as a backend found it. */
export interface VmInstance {
  readonly record: VmRecord;
  readonly pid: number | undefined;
  /** The QEMU process is alive (and is ours: pid reuse is checked). */
  readonly alive: boolean;
}

/** How QEMU Lab logs into a guest: key, user, and how the guest's host key is checked. */
export interface GuestSshLogin {
  readonly privateKey: string;
  readonly knownHostsFile: string;
  readonly hostKeyAlias: string;
  readonly user: string;
  /**
   * Absent: the host key is known before the guest boots (QEMU Lab made it) and checked strictly.
   * `first-use`: a guest QEMU Lab did not set up; its key is learnt at the first login into the
   * VM's own known_hosts file, and checked strictly from then on.
   */
  readonly hostKeyCheck?: 'first-use';
}

/** Stages of a boot, in order, for progress reports. */
export type BootStage = 'starting QEMU' | 'QMP ready' | 'kernel booting' | 'SSH ready';

/** What to boot, resolved from the lab file and the host. */
export interface BootRequest {
  readonly key: VmKey;
  readonly vm: VmSpec;
  /** The bridge network the VM is on (the lab's spec of `vm.network`); undefined on user networking. */
  readonly network?: NetworkSpec;
  readonly qemuBinary: string;
  readonly accel: AccelChoice;
  readonly boot: BootMedia;
  /** SSH credentials of the guest, when it has an SSH server we can log into. */
  readonly guestSsh: GuestSshLogin | undefined;
  /**
   * Boot a disk image on the VM's own qcow2 overlay (made in its state on the host, grown to
   * `sizeBytes`); the image itself is never written. `blank`: no image — the VM's disk is a blank
   * qcow2 of `sizeBytes`, made there once and kept (a system gets installed on it). A migration
   * destination (`incoming`) uses the disk the source runs on (within one host), or what
   * `receive` says.
   */
  readonly overlay?: { readonly sizeBytes: number | undefined; readonly blank?: boolean; readonly receive?: DiskReceive };
  /** A line the guest prints on its serial console when ready, when it prints one. */
  readonly readyMarker: string | undefined;
  readonly onStage?: (stage: BootStage) => void;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /**
   * Start QEMU as a migration destination (`-incoming`, e.g. `defer`: it waits for
   * `migrate-incoming`). The guest does not run until a migration arrives, so the boot ends once
   * QMP answers: no serial marker, no SSH.
   */
  readonly incoming?: string;
  /** Typed parts another feature adds to the VM's launch plan (a COLO pair's disks and filters). */
  readonly added?: AddedPlanParts;
}

/**
 * The disk a migration destination on another host opens: `shared` — the source's own file, seen
 * at the same path; `copy` — a new overlay in the VM's state there, `sizeBytes` big, over `base`
 * (the same image as on the source) or over nothing (the whole disk is then copied into it).
 */
export type DiskReceive =
  | { readonly kind: 'shared'; readonly path: string }
  | { readonly kind: 'copy'; readonly sizeBytes: number; readonly base: { readonly file: string; readonly format: DiskFormat } | undefined };

/** Options for powering a VM down. */
export interface PowerDownOptions {
  /** How long the guest may take to power itself off after the ACPI request. */
  readonly timeoutMs: number;
  /** After the timeout, quit QEMU instead of failing. */
  readonly force: boolean;
}

/**
 * How a VM runs on a host, behind one interface: today QEMU directly (argv + QMP), next a
 * libvirt backend (`virsh -c qemu+ssh://…`) for people who manage fleets with libvirt.
 */
export interface VmBackend {
  /**
   * Finds a VM this backend started earlier, alive or dead; undefined if never started. A VM
   * that migrated is found where it went (its old record's `movedTo` is followed).
   */
  find(key: VmKey): Promise<VmInstance | undefined>;
  /** Boots a VM, or returns the running one: never a duplicate. */
  boot(request: BootRequest): Promise<{ readonly instance: VmInstance; readonly alreadyRunning: boolean }>;
  /** Asks the guest to power off (ACPI) and waits for QEMU to exit. */
  powerDown(instance: VmInstance, options: PowerDownOptions): Promise<void>;
  /** Ends QEMU at once (`quit`, or SIGKILL when QMP does not answer). */
  kill(instance: VmInstance): Promise<void>;
  /** Pauses the guest's CPUs (QMP `stop`). */
  pause(instance: VmInstance): Promise<void>;
  /** Resumes a paused guest (QMP `cont`). */
  resume(instance: VmInstance): Promise<void>;
  /** Resets the guest like the reset button (QMP `system_reset`). */
  reset(instance: VmInstance): Promise<void>;
  /** The VM's state, accelerator in effect, NIC and SSH endpoint; a dead VM says why. */
  status(instance: VmInstance): Promise<VmStatus>;
  /** Passes one raw QMP command through and returns QEMU's reply. */
  qmp(instance: VmInstance, command: string, args?: Record<string, QmpValue>): Promise<QmpValue>;
}

/**
 * What callers beside the VM lifecycle need of a backend whose VMs run on lab hosts: the host, a
 * VM's own run directory, its monitors. Migration and COLO drive QEMU through these.
 */
export interface VmHostAccess {
  /** The {@link HostSystem} a VM's host is reached through. */
  systemOf(key: Pick<VmKey, 'host'>): HostSystem;
  /** The VM in exactly this run directory, without following a migration. */
  findAt(key: VmKey): Promise<VmInstance | undefined>;
  /** Marks the record at `key` as left behind by a migration (`find` then follows it to `to`). */
  markMoved(key: VmKey, to: VmMove): Promise<void>;
  /** Removes what a VM's QEMU left in its run directory (and `vm.json` unless `keepRecord`). */
  removeRunFiles(record: VmRecord, options: { keepRecord: boolean }): Promise<void>;
  /** Connects `client` to one of the VM's monitors (`qmp` for commands, `watch` for a watcher). */
  connectQmp(record: VmRecord, client: QmpClient, monitor?: 'qmp' | 'watch'): Promise<void>;
  /** Frees what the VM's network held once its QEMU is gone (an isolated network's namespace). */
  releaseNetwork(record: VmRecord): Promise<void>;
}

/** A {@link VmBackend} whose VMs run on lab hosts the caller reaches too: what `up`, migration, COLO and the views use. */
export interface HostVmBackend extends VmBackend, VmHostAccess {}
