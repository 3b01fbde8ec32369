/**
 * VMs on a libvirt host: each lab VM is a libvirt domain whose XML comes from the same launch
 * plan the direct backend turns into argv. Lifecycle through libvirt (`define`, `start`,
 * `shutdown`, `suspend`, `resume`, `reset`, `destroy`, `undefine`); what libvirt has no API for
 * goes through its monitor passthrough (`qemu-monitor-command`): the user-network port forwards
 * (`hostfwd_add`), `query-kvm` for the accelerator in effect, and raw QMP.
 *
 * The record (`vm.json`) and the serial console's socket and log live in the VM's run directory
 * on the machine libvirtd runs on, as for the direct backend, so `find`, `ssh` and the serial
 * console work the same. A domain is defined on `up` and undefined on `down`/`kill`: the lab file
 * stays the only description of a lab VM, and nothing is left in the user's libvirt. A domain
 * the user made and the lab adopts (`domain:`) is only started and stopped (adopted-domain.ts).
 */
import { join } from 'node:path';
import { VmError, VmTimeoutError } from '../../errors';
import { readPrivateState } from '../../infrastructure/files/private-state';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { buildDomainXml, domainName, hostfwdCommand, planForwards } from '../../infrastructure/libvirt/domain-xml';
import { LibvirtError } from '../../infrastructure/libvirt/libvirt-errors';
import { Virsh } from '../../infrastructure/libvirt/virsh';
import { domainHasQemu, parseDomstate, vmStateOf, type DomainState } from '../../infrastructure/libvirt/virsh-parsers';
import { tapPlanFor } from '../../infrastructure/network/tap-network';
import { planForVm } from '../../infrastructure/qemu/plan-for-vm';
import type { PortForward } from '../../infrastructure/qemu/launch-plan';
import { isQmpObject, type QmpValue } from '../../infrastructure/qmp/messages';
import { parseFiniteJson } from '../../infrastructure/support/finite-json';
import { USER_NETWORK } from '../../lab/vocabulary';
import { prepareBootDisk } from './boot-disk';
import { waitForGuest } from './boot-wait';
import type { BootRequest, HostVmBackend, PowerDownOptions, VmInstance, VmKey } from './backend';
import { chooseNetwork, type BootNetwork } from './boot-network';
import { bootRecord, writeVmRecord } from './boot-record';
import { prepareRunDir } from './boot-run-dir';
import { defaultBootTimeoutMs } from './boot-timeout';
import { findFollowingMoves } from './follow-moves';
import { runFilesIn, stateRootOn, vmRunDir, type VmRunFiles } from './run-dir';
import { parseVmRecord, type VmMove, type VmRecord } from './vm-record';
import { accelFromQueryKvm, type VmStatus } from './vm-status';
import { adoptedRecordRefusal, adoptedStatus, bootAdopted, isAdoptedRecord, killAdopted, powerDownAdopted } from './adopted-domain';
import { sleep } from '../../infrastructure/support/sleep';

/** The libvirt name of a record's domain: the adopted one's own, else the one QEMU Lab gave the domain it defined. */
function domainOf(record: Pick<VmRecord, 'labPath' | 'vmName' | 'host' | 'domain'>): string {
  return record.domain ?? domainName(record);
}

const POLL_MS = 250;

/** How the backend reaches each libvirt host. */
export interface LibvirtHosts {
  /** The machine a host's virsh runs on (this one, or one reached over the lab's SSH). */
  readonly systemFor: (host: string) => HostSystem;
  /** The libvirt URI virsh is given on that machine (see libvirt-uri.ts). */
  readonly uriFor: (host: string) => string;
  /** The state directory on this machine. */
  readonly localStateRoot: string;
  /** The state directory on remote machines; default `~/.local/state/qemu-lab` there. */
  readonly remoteStateRoot?: string;
}


/** What a migration between two libvirt hosts needs of the backend beyond {@link HostVmBackend}. */
export interface LibvirtDomainAccess {
  /** The virsh of a libvirt host (run on its machine). */
  virsh(host: string): Virsh;
  /** A VM's run directory at `key` on its host's machine. */
  runDirOf(key: VmKey): Promise<string>;
  /** Makes the run directory at `key` (private) and returns its files. */
  prepareRunFiles(key: VmKey, options: { vnc: boolean }): Promise<VmRunFiles>;
  /** Writes a record (`vm.json`) into the run directory its host and slot name. */
  writeRecord(record: VmRecord): Promise<void>;
  /** Adds user-network port forwards to a running domain (its monitor; they do not migrate with it). */
  addForwards(record: VmRecord, forwards: readonly PortForward[]): Promise<void>;
}

/** Runs lab VMs as libvirt domains (see the file comment). */
export class LibvirtBackend implements HostVmBackend, LibvirtDomainAccess {
  constructor(private readonly hosts: LibvirtHosts) {}

  systemOf(key: Pick<VmKey, 'host'>): HostSystem {
    return this.hosts.systemFor(key.host);
  }

  /** The virsh of a host. */
  virsh(host: string): Virsh {
    return new Virsh(this.systemOf({ host }), this.hosts.uriFor(host), host);
  }

  private async runDir(key: VmKey): Promise<{ root: string; dir: string }> {
    const system = this.systemOf(key);
    const root = await stateRootOn(system, { local: this.hosts.localStateRoot, remote: this.hosts.remoteStateRoot });
    return { root, dir: vmRunDir(root, key.labPath, key.host, key.slot === undefined ? key.vmName : `${key.vmName}~${key.slot}`) };
  }

  private async readRecord(key: VmKey): Promise<{ record: VmRecord | undefined; path: string }> {
    const system = this.systemOf(key);
    const { root, dir } = await this.runDir(key);
    const path = runFilesIn(dir, { vnc: false }).record;
    const text = await readPrivateState(system, root, path);
    return { record: parseVmRecord(text, { where: system.isLocal ? path : `${path} on host "${system.name}"`, runDir: dir }), path };
  }

  /** The state of a VM's domain; undefined when libvirt has no such domain. */
  async domainState(record: Pick<VmRecord, 'labPath' | 'vmName' | 'host' | 'domain'>): Promise<DomainState | undefined> {
    const out = await this.virsh(record.host).runOnDomain(['domstate', '--reason', domainOf(record)]);
    return out === undefined ? undefined : parseDomstate(out)?.state;
  }

  async find(key: VmKey): Promise<VmInstance | undefined> {
    return findFollowingMoves(key, (at) => this.findAt(at));
  }

  async runDirOf(key: VmKey): Promise<string> {
    return (await this.runDir(key)).dir;
  }

  async prepareRunFiles(key: VmKey, options: { vnc: boolean }): Promise<VmRunFiles> {
    const { root, dir } = await this.runDir(key);
    return prepareRunDir(this.systemOf(key), root, dir, options);
  }

  async writeRecord(record: VmRecord): Promise<void> {
    const { dir } = await this.runDir(record);
    await writeVmRecord(this.systemOf(record), runFilesIn(dir, { vnc: false }).record, record);
  }

  async addForwards(record: VmRecord, forwards: readonly PortForward[]): Promise<void> {
    for (const forward of forwards) await this.hmp(record, hostfwdCommand(forward));
  }

  async findAt(key: VmKey): Promise<VmInstance | undefined> {
    const { record } = await this.readRecord(key);
    if (record === undefined) return undefined;
    const state = await this.domainState(record);
    return { record, pid: undefined, alive: state !== undefined && domainHasQemu(state) };
  }

  async markMoved(key: VmKey, to: VmMove): Promise<void> {
    const { record, path } = await this.readRecord(key);
    if (record === undefined) return;
    await writeVmRecord(this.systemOf(key), path, { ...record, movedTo: to.slot === undefined ? { host: to.host, at: to.at } : to });
  }

  async removeRunFiles(record: VmRecord, options: { keepRecord: boolean }): Promise<void> {
    const { files } = record;
    const dir = (await this.runDir(record)).dir;
    const paths = [files.serialSocket, files.serialLog, files.stderrLog, join(dir, 'domain.xml')];
    if (!options.keepRecord) paths.push(runFilesIn(dir, { vnc: false }).record);
    await this.systemOf(record).removeFiles(paths);
  }

  connectQmp(record: VmRecord): Promise<void> {
    if (isAdoptedRecord(record)) return Promise.reject(adoptedRecordRefusal(record, 'qmp'));
    return Promise.reject(
      new LibvirtError(`VM "${record.vmName}" is a libvirt domain: libvirt owns its QMP monitor.`, {
        hint: 'QEMU Lab reaches it through virsh qemu-monitor-command (qemu-lab qmp works); this feature does not support libvirt hosts yet.',
      }),
    );
  }

  async releaseNetwork(): Promise<void> {
    // libvirt makes and removes the domain's TAP itself.
  }

  /** The network of a boot: user networking's ports chosen on the libvirt host, or the bridge libvirt attaches to. */
  private async network(system: HostSystem, request: BootRequest): Promise<{ network: BootNetwork; bridge: string | undefined }> {
    if (request.vm.network === USER_NETWORK) return { network: await chooseNetwork(system, request), bridge: undefined };
    const spec = request.network;
    if (spec === undefined || spec.kind !== 'bridge') {
      throw new LibvirtError(`VM "${request.vm.name}" is on network "${request.vm.network}", which is not a bridge network: a VM on a libvirt host can use network: user or a kind: bridge network.`, {
        hint: 'Isolated networks live in a network namespace QEMU Lab makes; run the VM on a local or SSH host for one.',
      });
    }
    const { attachment } = tapPlanFor(spec, request.key);
    const guestAddress = request.vm.address?.split('/')[0];
    return { network: { attachment, tapPlan: undefined, forwards: [], guestAddress }, bridge: spec.bridge };
  }

  async boot(request: BootRequest): Promise<{ instance: VmInstance; alreadyRunning: boolean }> {
    const existing = await this.findAt(request.key);
    if (existing?.alive) return { instance: existing, alreadyRunning: true };
    const { adopted } = request.vm;
    if (adopted !== undefined) {
      return bootAdopted(request, adopted, {
        virsh: this.virsh(request.key.host),
        system: this.systemOf(request.key),
        prepareRunFiles: () => this.prepareRunFiles(request.key, { vnc: false }),
        writeRecord: (record) => this.writeRecord(record),
      });
    }
    if (request.incoming !== undefined) {
      throw new LibvirtError('A migration to a libvirt host is started by libvirt itself, not by booting a destination.', { hint: 'Migrate between two libvirt hosts.' });
    }
    if (request.boot.kind === 'disk' && (request.overlay?.blank === true || request.boot.cdrom !== undefined)) {
      throw new LibvirtError(`VM "${request.key.vmName}" installs from an ISO (a blank disk or cdrom:), which QEMU Lab does not do on a libvirt host yet.`, {
        hint: 'Run it on a local or SSH host, or make the domain with virt-install on that machine.',
      });
    }
    const system = this.systemOf(request.key);
    const { root, dir } = await this.runDir(request.key);
    const files = await prepareRunDir(system, root, dir, { vnc: request.vm.vnc });
    // The direct backend's disk step: a disk guest boots its own overlay in the state on the
    // libvirt host (made, kept or grown there), never the user's image, which is only its backing file.
    const boot = await prepareBootDisk(system, root, request);
    const { network, bridge } = await this.network(system, request);
    const plan = planForVm(request.vm, { accel: request.accel.accel, boot, network: network.attachment, files, added: request.added });
    const owner = { labPath: request.key.labPath, vmName: request.key.vmName, host: request.key.host };
    const name = domainName(owner);
    // A binary found on PATH by name is left to libvirt (it picks the same from its capabilities); a path is kept.
    const emulator = request.qemuBinary.startsWith('/') ? request.qemuBinary : undefined;
    const xml = buildDomainXml(plan, { owner, serial: { socket: files.serialSocket, log: files.serialLog }, bridge, emulator });
    const record = bootRecord(request, ['libvirt-domain', name], files, network, new Date().toISOString());
    const xmlPath = join(dir, 'domain.xml');
    await system.writeTextAtomically(xmlPath, xml);
    await writeVmRecord(system, files.record, record);
    const virsh = this.virsh(request.key.host);
    const deadline = Date.now() + (request.timeoutMs ?? defaultBootTimeoutMs(request));
    request.onStage?.('starting QEMU');
    // A domain left defined by an earlier run (shut off) is replaced by this plan's.
    await this.undefine(record);
    await virsh.run(['define', xmlPath]);
    const instance: VmInstance = { record, pid: undefined, alive: true };
    try {
      // Paused until the port forwards exist: nothing in the guest runs before its ports are reachable.
      await virsh.run(['start', '--paused', name], { signal: request.signal });
      for (const forward of planForwards(plan)) await this.hmp(record, hostfwdCommand(forward));
      await virsh.run(['resume', name]);
      request.onStage?.('QMP ready');
      await this.waitUntilReady(record, request, deadline);
    } catch (error) {
      await this.kill(instance).catch(() => undefined);
      throw error;
    }
    return { instance, alreadyRunning: false };
  }

  private async waitUntilReady(record: VmRecord, request: BootRequest, deadline: number): Promise<void> {
    await waitForGuest(this.systemOf(record), record, request, deadline, async () => {
      const state = await this.domainState(record);
      return state !== undefined && domainHasQemu(state);
    });
  }

  /** Removes the domain's definition (destroying it first if it runs). Nothing when there is none. */
  private async undefine(record: VmRecord): Promise<void> {
    // Never the user's own domain, whatever path led here.
    if (isAdoptedRecord(record)) throw new LibvirtError(`QEMU Lab never undefines the adopted domain "${record.domain}" of VM "${record.vmName}".`);
    const virsh = this.virsh(record.host);
    const name = domainName(record);
    const state = await this.domainState(record);
    if (state === undefined) return;
    if (domainHasQemu(state)) await virsh.runOnDomain(['destroy', name]);
    await virsh.runOnDomain(['undefine', name]);
  }

  async powerDown(instance: VmInstance, options: PowerDownOptions): Promise<void> {
    const { record } = instance;
    if (!instance.alive) return;
    if (isAdoptedRecord(record)) return powerDownAdopted(this.virsh(record.host), record, options);
    await this.virsh(record.host).runOnDomain(['shutdown', '--mode', 'acpi', domainName(record)]);
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const state = await this.domainState(record);
      if (state === undefined || !domainHasQemu(state)) {
        await this.undefine(record);
        return;
      }
      if (Date.now() > deadline) break;
      await sleep(POLL_MS);
    }
    if (!options.force) {
      throw new VmTimeoutError(`VM "${record.vmName}" did not power off within ${options.timeoutMs / 1000} s of the ACPI power-down request.`, {
        hint: 'The guest may ignore the power button. Run it again with --force to end the domain after the timeout, or use kill.',
      });
    }
    await this.kill(instance);
  }

  async kill(instance: VmInstance): Promise<void> {
    const { record } = instance;
    if (isAdoptedRecord(record)) return killAdopted(this.virsh(record.host), record);
    await this.undefine(record);
  }

  private requireAlive(instance: VmInstance): VmRecord {
    if (!instance.alive) {
      throw new VmError(`VM "${instance.record.vmName}" is not running.`, { hint: `Start it with qemu-lab up ${instance.record.vmName}.` });
    }
    return instance.record;
  }

  async pause(instance: VmInstance): Promise<void> {
    const record = this.requireAlive(instance);
    await this.virsh(record.host).run(['suspend', domainOf(record)]);
  }

  async resume(instance: VmInstance): Promise<void> {
    const record = this.requireAlive(instance);
    await this.virsh(record.host).run(['resume', domainOf(record)]);
  }

  async reset(instance: VmInstance): Promise<void> {
    const record = this.requireAlive(instance);
    await this.virsh(record.host).run(['reset', domainOf(record)]);
  }

  /** One HMP command through libvirt's monitor passthrough; its output. */
  private async hmp(record: VmRecord, command: string): Promise<string> {
    if (isAdoptedRecord(record)) throw adoptedRecordRefusal(record, 'qmp');
    const out = await this.virsh(record.host).run(['qemu-monitor-command', '--hmp', domainName(record), '--', command]);
    if (out.trim() !== '') throw new LibvirtError(`QEMU refused "${command}" for VM "${record.vmName}": ${out.trim()}`);
    return out;
  }

  async qmp(instance: VmInstance, command: string, args?: Record<string, QmpValue>): Promise<QmpValue> {
    const record = this.requireAlive(instance);
    if (isAdoptedRecord(record)) throw adoptedRecordRefusal(record, 'qmp');
    const request = JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args });
    const out = await this.virsh(record.host).run(['qemu-monitor-command', domainName(record), '--', request]);
    let reply: unknown;
    try {
      reply = parseFiniteJson(out);
    } catch {
      throw new LibvirtError(`libvirt's monitor passthrough gave no JSON for "${command}": ${out.slice(0, 200)}`);
    }
    const value = reply as QmpValue;
    if (isQmpObject(value) && isQmpObject(value.error ?? null)) {
      const error = value.error as Record<string, QmpValue>;
      throw new LibvirtError(`QEMU refused "${command}": ${typeof error.desc === 'string' ? error.desc : JSON.stringify(error)}`);
    }
    if (!isQmpObject(value) || !('return' in value)) throw new LibvirtError(`libvirt's monitor passthrough gave no QMP reply for "${command}".`);
    return value.return ?? null;
  }

  async status(instance: VmInstance): Promise<VmStatus> {
    const { record } = instance;
    if (isAdoptedRecord(record)) {
      const ssh = record.ssh === undefined ? undefined : { host: record.ssh.host, port: record.ssh.port };
      return adoptedStatus(this.virsh(record.host), { vm: record.vmName, host: record.host, domain: record.domain, ssh, accel: record.accel });
    }
    const base = { vm: record.vmName, host: record.host, nic: record.nic, pid: undefined };
    const ssh = record.ssh === undefined ? undefined : { host: record.ssh.host, port: record.ssh.port };
    const out = await this.virsh(record.host).runOnDomain(['domstate', '--reason', domainName(record)]);
    const read = out === undefined ? undefined : parseDomstate(out);
    if (read === undefined || !domainHasQemu(read.state)) {
      const reason = read === undefined ? 'libvirt has no domain for it (not started, or powered off).' : `libvirt: ${read.state}${read.reason === undefined ? '' : ` (${read.reason})`}`;
      return { ...base, state: 'stopped', reason, accel: undefined, ssh: undefined };
    }
    const accel = accelFromQueryKvm(await this.qmp({ ...instance, alive: true }, 'query-kvm'));
    return { ...base, state: vmStateOf(read.state), reason: read.reason === undefined ? undefined : `libvirt: ${read.reason}`, accel, ssh };
  }
}
