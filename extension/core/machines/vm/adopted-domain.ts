/**
 * The lifecycle of a libvirt domain a lab VM adopted (`domain:`): the user made it, so QEMU Lab
 * only starts it (`virsh start`), waits for its SSH, shuts it down (`virsh shutdown`, then
 * `destroy` with `--force`) or destroys it — never `define`, `undefine`, a disk or a monitor
 * command. Its state is read by the domain's own name, so it shows even when no `up` ran.
 */
import { VmTimeoutError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { accelOfDomainXml } from '../../infrastructure/libvirt/domain-facts';
import { LibvirtError } from '../../infrastructure/libvirt/libvirt-errors';
import type { Virsh } from '../../infrastructure/libvirt/virsh';
import { domainHasQemu, parseDomstate, vmStateOf, type DomainState } from '../../infrastructure/libvirt/virsh-parsers';
import { adoptedRefusal, type AdoptedRefusedFeature } from '../../lab/adopted-refusals';
import type { AdoptedDomainSpec, VmSpec } from '../../lab/model';
import type { BootRequest, PowerDownOptions, VmInstance } from './backend';
import { waitForGuest } from './boot-wait';
import { defaultBootTimeoutMs } from './boot-timeout';
import type { VmRunFiles } from './run-dir';
import type { VmRecord } from './vm-record';
import type { VmStatus } from './vm-status';
import { sleep } from '../../infrastructure/support/sleep';

const POLL_MS = 250;

/** What the adopted lifecycle needs of the libvirt backend: the host's virsh and machine, and the VM's run files. */
export interface AdoptedDomainPlace {
  readonly virsh: Virsh;
  readonly system: HostSystem;
  /** Makes the VM's (private) run directory and returns its files; only the record is written there. */
  readonly prepareRunFiles: () => Promise<VmRunFiles>;
  readonly writeRecord: (record: VmRecord) => Promise<void>;
}

/** The adopted domain's state and libvirt's reason; undefined when libvirt has no such domain. */
export async function adoptedDomainState(virsh: Virsh, domain: string): Promise<{ readonly state: DomainState; readonly reason: string | undefined } | undefined> {
  const out = await virsh.runOnDomain(['domstate', '--reason', domain]);
  return out === undefined ? undefined : parseDomstate(out);
}

function noSuchDomain(vm: string, host: string, domain: string): LibvirtError {
  return new LibvirtError(`VM "${vm}" adopts the libvirt domain "${domain}", and libvirt on host "${host}" has no domain of that name.`, {
    hint: `virsh list --all on that host shows its domains; fix domain: of VM "${vm}" in the lab file (QEMU Lab never defines an adopted domain).`,
  });
}

/** The record of an adopted domain's `up`: where SSH reaches it, its accelerator as libvirt defines it. */
function adoptedRecord(request: BootRequest, adopted: AdoptedDomainSpec, files: VmRunFiles, accel: 'kvm' | 'tcg'): VmRecord {
  const { key, guestSsh } = request;
  const ssh = adopted.address === undefined || guestSsh === undefined ? undefined : { host: adopted.address, port: adopted.sshPort, ...guestSsh };
  return {
    version: 1,
    labPath: key.labPath,
    vmName: key.vmName,
    host: key.host,
    qemuBinary: 'libvirt',
    argv: ['libvirt-domain', adopted.domain],
    accel,
    accelWhy: `the adopted domain's definition: <domain type='${accel === 'kvm' ? 'kvm' : 'qemu'}'>`,
    nic: 'libvirt',
    network: 'libvirt',
    ssh,
    files,
    readyMarker: undefined,
    startedAt: new Date().toISOString(),
    domain: adopted.domain,
  };
}

/**
 * `up` of an adopted domain: `virsh start` unless it already runs (a paused one is left paused),
 * then its guest's SSH at `address`. No definition is made or changed.
 */
export async function bootAdopted(request: BootRequest, adopted: AdoptedDomainSpec, place: AdoptedDomainPlace): Promise<{ instance: VmInstance; alreadyRunning: boolean }> {
  const { virsh } = place;
  const { vmName, host } = request.key;
  const before = await adoptedDomainState(virsh, adopted.domain);
  if (before === undefined) throw noSuchDomain(vmName, host, adopted.domain);
  const accel = accelOfDomainXml((await virsh.runOnDomain(['dumpxml', adopted.domain])) ?? '') ?? 'tcg';
  const files = await place.prepareRunFiles();
  const record = adoptedRecord(request, adopted, files, accel);
  await place.writeRecord(record);
  const alreadyRunning = domainHasQemu(before.state);
  const deadline = Date.now() + (request.timeoutMs ?? defaultBootTimeoutMs(request));
  request.onStage?.('starting QEMU');
  if (!alreadyRunning) await virsh.run(['start', adopted.domain], { signal: request.signal });
  request.onStage?.('QMP ready');
  await waitForGuest(place.system, record, request, deadline, async () => {
    const state = await adoptedDomainState(virsh, adopted.domain);
    return state !== undefined && domainHasQemu(state.state);
  });
  return { instance: { record, pid: undefined, alive: true }, alreadyRunning };
}

/** `down`: `virsh shutdown`, waiting for the domain to stop; with `force`, `virsh destroy` after the timeout. Never undefined. */
export async function powerDownAdopted(virsh: Virsh, record: VmRecord & { readonly domain: string }, options: PowerDownOptions): Promise<void> {
  const state = await adoptedDomainState(virsh, record.domain);
  if (state === undefined || !domainHasQemu(state.state)) return;
  await virsh.runOnDomain(['shutdown', record.domain]);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const now = await adoptedDomainState(virsh, record.domain);
    if (now === undefined || !domainHasQemu(now.state)) return;
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  if (!options.force) {
    throw new VmTimeoutError(`VM "${record.vmName}" (the adopted domain "${record.domain}") did not shut down within ${options.timeoutMs / 1000} s of virsh shutdown.`, {
      hint: 'The guest may ignore the request. Run it again with --force to destroy the domain after the timeout (it stays defined), or use kill.',
    });
  }
  await killAdopted(virsh, record);
}

/** `kill`: `virsh destroy` (libvirt's power cord) when it runs; the domain stays defined, its disks untouched. */
export async function killAdopted(virsh: Virsh, record: VmRecord & { readonly domain: string }): Promise<void> {
  const state = await adoptedDomainState(virsh, record.domain);
  if (state !== undefined && domainHasQemu(state.state)) await virsh.runOnDomain(['destroy', record.domain]);
}

/** Which adopted domain a status is read for, and what an `up` recorded of it (when one ran). */
export interface AdoptedStatusTarget {
  readonly vm: string;
  readonly host: string;
  readonly domain: string;
  readonly ssh: { readonly host: string; readonly port: number } | undefined;
  readonly accel: 'kvm' | 'tcg' | undefined;
}

/** The status target of an adopted VM of the lab, with its record when an `up` wrote one. */
export function adoptedTarget(vm: Pick<VmSpec, 'name' | 'host'> & { readonly adopted: AdoptedDomainSpec }, record: VmRecord | undefined): AdoptedStatusTarget {
  const { address, sshPort, domain } = vm.adopted;
  const ssh = record?.ssh ?? (address === undefined ? undefined : { host: address, port: sshPort });
  return { vm: vm.name, host: vm.host, domain, ssh: ssh === undefined ? undefined : { host: ssh.host, port: ssh.port }, accel: record?.accel };
}

/**
 * The status of an adopted VM from `virsh domstate` by the domain's name: with or without a
 * record of an `up` (a domain the user started shows as running). The accelerator is what an
 * `up` read from the domain's definition; no monitor command is sent.
 */
export async function adoptedStatus(virsh: Virsh, target: AdoptedStatusTarget): Promise<VmStatus> {
  const base = { vm: target.vm, host: target.host, nic: undefined, pid: undefined };
  const read = await adoptedDomainState(virsh, target.domain);
  if (read === undefined) {
    return { ...base, state: 'error', reason: `libvirt has no domain "${target.domain}" to adopt (virsh list --all shows the names)`, accel: undefined, ssh: undefined };
  }
  const why = `adopted domain "${target.domain}", libvirt: ${read.state}${read.reason === undefined ? '' : ` (${read.reason})`}`;
  if (!domainHasQemu(read.state)) return { ...base, state: 'stopped', reason: why, accel: undefined, ssh: undefined };
  return { ...base, state: vmStateOf(read.state), reason: why, accel: target.accel, ssh: target.ssh };
}

/** The error for a feature refused on an adopted domain's record (see adopted-refusals.ts). */
export function adoptedRecordRefusal(record: VmRecord & { readonly domain: string }, feature: AdoptedRefusedFeature): LibvirtError {
  const { problem, hint } = adoptedRefusal(record.vmName, record, feature);
  return new LibvirtError(`${problem}.`, { hint });
}

/** Whether a record is an adopted domain's. */
export function isAdoptedRecord(record: VmRecord): record is VmRecord & { readonly domain: string } {
  return record.domain !== undefined;
}
