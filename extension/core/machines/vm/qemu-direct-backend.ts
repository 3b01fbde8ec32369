import { formatQmpVersion, parseQueryVersion, type QmpQemuVersion } from '../../infrastructure/qemu/qemu-capabilities';
import { readPrivateState } from '../../infrastructure/files/private-state';
import { VmError, VmTimeoutError } from '../../errors';
import { QmpClient } from '../../infrastructure/qmp/client';
import type { QmpValue } from '../../infrastructure/qmp/messages';
import type { BootRequest, HostVmBackend, PowerDownOptions, VmInstance, VmKey } from './backend';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { releaseIsolatedNamespace } from '../../infrastructure/network/tap-network';
import { writeVmRecord } from './boot-record';
import { isOurQemu, lookUpQemu, readPidFile, waitForExit } from './process';
import { findFollowingMoves } from './follow-moves';
import { runFilesIn, stateRootOn, vmRunDir } from './run-dir';
import { parseVmRecord, type VmMove, type VmRecord } from './vm-record';
import { accelFromQueryKvm, reasonForExit, stateFromQueryStatus, type VmStatus } from './vm-status';

const QMP_TIMEOUT_MS = 10_000;

/** Where the backend keeps VM state on each host, and how it reaches each host. */
export interface QemuDirectHosts {
  /** The {@link HostSystem} of a lab host (`local` or a remote one). */
  readonly systemFor: (host: string) => HostSystem;
  /** The state directory on this machine (QEMU_LAB_STATE_DIR or the XDG default). */
  readonly localStateRoot: string;
  /** The state directory on remote hosts; default `~/.local/state/qemu-lab` there. */
  readonly remoteStateRoot?: string;
}

/**
 * Runs VMs as QEMU processes on their host — this machine or one reached over SSH — started
 * detached with a pidfile and QMP sockets in a per-VM directory (mode 0700). A VM outlives the
 * editor, the CLI and the SSH connection that started it; the next one finds it again through
 * `vm.json`, the pidfile and the QMP socket.
 */
export class QemuDirectBackend implements HostVmBackend {
  constructor(private readonly hosts: QemuDirectHosts) {}

  /** The {@link HostSystem} a VM's host is reached through. */
  systemOf(key: Pick<VmKey, 'host'>): HostSystem {
    return this.hosts.systemFor(key.host);
  }

  /** The state directory on the VM's host, and the VM's run directory in it. */
  private async runDir(key: VmKey): Promise<{ root: string; dir: string }> {
    const system = this.systemOf(key);
    const root = await stateRootOn(system, { local: this.hosts.localStateRoot, remote: this.hosts.remoteStateRoot });
    // A slot (the destination of a same-host migration) is a directory of its own next to the usual one.
    return { root, dir: vmRunDir(root, key.labPath, key.host, key.slot === undefined ? key.vmName : `${key.vmName}~${key.slot}`) };
  }

  /**
   * The record in a run directory, read only when the state directory, the run directory and
   * the record are the user's own, and held to its schema (see private-state.ts, vm-record.ts).
   */
  private async readRecord(system: HostSystem, key: VmKey): Promise<{ record: VmRecord | undefined; path: string }> {
    const { root, dir } = await this.runDir(key);
    const path = runFilesIn(dir, { vnc: false }).record;
    const text = await readPrivateState(system, root, path);
    return { record: parseVmRecord(text, { where: system.isLocal ? path : `${path} on host "${system.name}"`, runDir: dir }), path };
  }

  async find(key: VmKey): Promise<VmInstance | undefined> {
    return findFollowingMoves(key, (at) => this.findAt(at));
  }

  /** The VM in exactly this run directory, without following a migration. */
  async findAt(key: VmKey): Promise<VmInstance | undefined> {
    const system = this.systemOf(key);
    const { root, dir } = await this.runDir(key);
    const files = runFilesIn(dir, { vnc: false });
    // One look-up checks the state directory is the user's own, reads the record and the
    // pidfile it names in the same directory, and checks the process: one command on a remote host.
    const found = await lookUpQemu(system, root, files.record, files.pidFile);
    const record = parseVmRecord(found.recordText, { where: system.isLocal ? files.record : `${files.record} on host "${system.name}"`, runDir: dir });
    if (record === undefined) return undefined;
    if (record.files.pidFile === files.pidFile) return { record, pid: found.pid, alive: found.alive };
    // A record naming its pidfile elsewhere (written by another version): ask about that one.
    const pid = await readPidFile(system, record.files.pidFile);
    const alive = pid !== undefined && (await isOurQemu(system, pid, record.files.pidFile));
    return { record, pid, alive };
  }

  /**
   * Marks the record at `key` as left behind by a migration: `find` then follows it to `to`.
   * Does nothing when there is no record there.
   */
  async markMoved(key: VmKey, to: VmMove): Promise<void> {
    const system = this.systemOf(key);
    const { record, path } = await this.readRecord(system, key);
    if (record === undefined) return;
    const movedTo: VmMove = to.slot === undefined ? { host: to.host, at: to.at } : { host: to.host, slot: to.slot, at: to.at };
    await writeVmRecord(system, path, { ...record, movedTo });
  }

  /**
   * Removes what a VM's QEMU left in its run directory (sockets, pidfile, logs, and `vm.json`
   * unless `keepRecord`). For a QEMU that is gone: the destination of a failed migration, or
   * the source of one that completed.
   */
  async removeRunFiles(record: VmRecord, options: { keepRecord: boolean }): Promise<void> {
    const { files } = record;
    const paths = [files.qmpSocket, files.watchSocket, files.serialSocket, files.pidFile, files.serialLog, files.stderrLog];
    if (files.vncSocket !== undefined) paths.push(files.vncSocket);
    if (!options.keepRecord) paths.push(runFilesIn((await this.runDir(record)).dir, { vnc: false }).record);
    await this.systemOf(record).removeFiles(paths);
  }

  async boot(request: BootRequest): Promise<{ instance: VmInstance; alreadyRunning: boolean }> {
    // Exactly this directory: a record here that points elsewhere (the VM migrated away) is replaced.
    const existing = await this.findAt(request.key);
    if (existing?.alive) return { instance: existing, alreadyRunning: true };
    const { root, dir } = await this.runDir(request.key);
    // The boot pipeline loads on the first boot: listing and driving VMs (the tree) never need it.
    const { bootQemu } = await import('./boot.js');
    const instance = await bootQemu({ system: this.systemOf(request.key), root, dir }, request, this);
    return { instance, alreadyRunning: false };
  }

  async powerDown(instance: VmInstance, options: PowerDownOptions): Promise<void> {
    const { record } = instance;
    if (!instance.alive || instance.pid === undefined) return;
    await this.withQmp(record, (qmp) => qmp.execute('system_powerdown'));
    if (await waitForExit(this.systemOf(record), instance.pid, record.files.pidFile, options.timeoutMs)) {
      await this.releaseNetwork(record);
      return;
    }
    if (!options.force) {
      throw new VmTimeoutError(`VM "${record.vmName}" did not power off within ${options.timeoutMs / 1000} s of the ACPI power-down request.`, {
        hint: 'The guest may ignore the power button. Run it again with --force to quit QEMU after the timeout, or use kill.',
      });
    }
    await this.kill(instance);
  }

  async kill(instance: VmInstance): Promise<void> {
    const { record, pid } = instance;
    if (pid === undefined) return;
    const system = this.systemOf(record);
    try {
      await this.withQmp(record, (qmp) => qmp.execute('quit'));
    } catch {
      // QMP is gone or hung: the process must still end.
    }
    if (!(await waitForExit(system, pid, record.files.pidFile, 5_000))) {
      await system.kill(pid);
      await waitForExit(system, pid, record.files.pidFile, 5_000);
    }
    await this.releaseNetwork(record);
  }

  /**
   * Removes the isolated network's namespace of a VM whose QEMU is gone, once nothing else runs
   * in it. Best effort: a namespace that cannot be removed now is removed with the next VM.
   */
  async releaseNetwork(record: VmRecord): Promise<void> {
    if (record.netns === undefined) return;
    await releaseIsolatedNamespace(this.systemOf(record), record.netns).catch(() => false);
  }

  async pause(instance: VmInstance): Promise<void> {
    await this.withQmp(this.requireAlive(instance), (qmp) => qmp.execute('stop'));
  }

  async resume(instance: VmInstance): Promise<void> {
    await this.withQmp(this.requireAlive(instance), (qmp) => qmp.execute('cont'));
  }

  async reset(instance: VmInstance): Promise<void> {
    await this.withQmp(this.requireAlive(instance), (qmp) => qmp.execute('system_reset'));
  }

  async qmp(instance: VmInstance, command: string, args?: Record<string, QmpValue>): Promise<QmpValue> {
    return this.withQmp(this.requireAlive(instance), (qmp) => qmp.execute(command, args));
  }

  async status(instance: VmInstance): Promise<VmStatus> {
    const { record } = instance;
    const base = {
      vm: record.vmName,
      host: record.host,
      nic: record.nic,
      pid: instance.pid,
      ssh: record.ssh === undefined ? undefined : { host: record.ssh.host, port: record.ssh.port },
      qemu: { binary: record.qemuBinary, version: undefined },
    };
    if (!instance.alive) {
      return { ...base, state: 'stopped', reason: await reasonForExit(this.systemOf(record), record.files), accel: undefined, pid: undefined, ssh: undefined };
    }
    try {
      return await this.withQmp(record, async (qmp) => ({
        ...base,
        state: stateFromQueryStatus(await qmp.execute('query-status')),
        reason: undefined,
        accel: accelFromQueryKvm(await qmp.execute('query-kvm')),
        qemu: { binary: record.qemuBinary, version: versionText(parseQueryVersion(await qmp.execute('query-version'))) },
      }));
    } catch (error) {
      return { ...base, state: 'connection-lost', reason: error instanceof Error ? error.message : String(error), accel: record.accel };
    }
  }

  /** A connected QMP client on one of the VM's monitors (`qmp` for commands, `watch` for a watcher). */
  async connectQmp(record: VmRecord, client: QmpClient, monitor: 'qmp' | 'watch' = 'qmp'): Promise<void> {
    const path = monitor === 'qmp' ? record.files.qmpSocket : record.files.watchSocket;
    const system = this.systemOf(record);
    if (system.isLocal) await client.connect(path);
    else await client.connectStream(await system.openUnixSocket(path), { label: `${path} on ${system.name}` });
  }

  private requireAlive(instance: VmInstance): VmRecord {
    if (!instance.alive) {
      throw new VmError(`VM "${instance.record.vmName}" is not running.`, { hint: `Start it with qemu-lab up ${instance.record.vmName}.` });
    }
    return instance.record;
  }

  private async withQmp<T>(record: VmRecord, use: (qmp: QmpClient) => Promise<T>): Promise<T> {
    const qmp = new QmpClient({ defaultTimeoutMs: QMP_TIMEOUT_MS });
    await this.connectQmp(record, qmp);
    try {
      return await use(qmp);
    } finally {
      await qmp.disconnect();
    }
  }
}

function versionText(version: QmpQemuVersion | undefined): string | undefined {
  return version === undefined ? undefined : formatQmpVersion(version);
}
