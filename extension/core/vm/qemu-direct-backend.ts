import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { VmError, VmTimeoutError } from '../errors';
import { freeLoopbackPort } from '../host/free-port';
import { buildQemuArgv } from '../qemu/argv';
import type { QemuLaunchPlan } from '../qemu/launch-plan';
import { QmpClient } from '../qmp/client';
import type { QmpValue } from '../qmp/messages';
import type { BootRequest, PowerDownOptions, VmBackend, VmInstance, VmKey } from './backend';
import { waitForSsh } from './guest-ssh';
import { launchDetachedQemu } from './launch-local';
import { isOurQemu, readPidFile, waitForExit } from './process';
import { runFilesIn, vmRunDir } from './run-dir';
import { waitForSerialMarker } from './serial-log';
import { readVmRecord, writeVmRecord, type VmRecord } from './vm-record';
import { accelFromQueryKvm, reasonForExit, stateFromQueryStatus, type VmStatus } from './vm-status';

const DEFAULT_BOOT_TIMEOUT_MS = 120_000;
/** Guest ports forwarded on user networking besides SSH: iperf3's 5201 and iperf 2's 5001. */
const BENCHMARK_GUEST_PORTS: readonly number[] = [5201, 5001];
const QMP_TIMEOUT_MS = 10_000;

/**
 * Runs VMs as QEMU processes on this machine, started detached with a pidfile and a QMP socket
 * in a per-VM directory (mode 0700). A VM outlives the editor or CLI that started it; the next
 * one finds it again through `vm.json`, the pidfile and the QMP socket.
 */
export class QemuDirectBackend implements VmBackend {
  constructor(private readonly stateRoot: string) {}

  async find(key: VmKey): Promise<VmInstance | undefined> {
    const dir = vmRunDir(this.stateRoot, key.labPath, key.vmName);
    const record = await readVmRecord(runFilesIn(dir, { vnc: false }).record);
    if (record === undefined) return undefined;
    const pid = await readPidFile(record.files.pidFile);
    const alive = pid !== undefined && (await isOurQemu(pid, record.files.pidFile));
    return { record, pid, alive };
  }

  async boot(request: BootRequest): Promise<{ instance: VmInstance; alreadyRunning: boolean }> {
    const existing = await this.find(request.key);
    if (existing?.alive) return { instance: existing, alreadyRunning: true };

    const dir = vmRunDir(this.stateRoot, request.key.labPath, request.key.vmName);
    const files = runFilesIn(dir, { vnc: request.vm.vnc });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // mkdir leaves an existing directory's mode alone.
    // Sockets and the pidfile of a dead run would make the new one look ready too early.
    await Promise.all([files.qmpSocket, files.watchSocket, files.serialSocket, files.pidFile, files.serialLog].map((f) => rm(f, { force: true })));

    if (request.vm.network !== 'user') {
      throw new VmError(`VM "${request.vm.name}" is on network "${request.vm.network}": bridged networks are not supported yet.`, {
        hint: 'Use network: user for now; bridge+TAP networks come with the benchmark work.',
      });
    }
    const sshHostPort = request.vm.sshPort ?? (await freeLoopbackPort());
    // The benchmark servers' ports (iperf3, iperf 2) are reachable from the host as well.
    const forwards = [];
    for (const guestPort of BENCHMARK_GUEST_PORTS) forwards.push({ guestPort, hostPort: await freeLoopbackPort() });
    const plan: QemuLaunchPlan = {
      name: request.vm.name,
      machine: request.vm.machine,
      accel: request.accel.accel,
      cpus: request.vm.cpus,
      memoryBytes: request.vm.memoryBytes,
      nic: request.vm.nic,
      network: { kind: 'user', sshHostPort, forwards },
      boot: request.boot,
      files,
      incoming: undefined,
      extraArgs: request.vm.extraArgs,
    };
    const argv = buildQemuArgv(plan);
    const record: VmRecord = {
      version: 1,
      labPath: request.key.labPath,
      vmName: request.key.vmName,
      host: request.hostName,
      qemuBinary: request.qemuBinary,
      argv,
      accel: request.accel.accel,
      accelWhy: request.accel.why,
      nic: request.vm.nic,
      network: request.vm.network,
      ssh:
        request.guestSsh === undefined
          ? undefined
          : { host: '127.0.0.1', port: sshHostPort, ...request.guestSsh },
      forwardedPorts: Object.fromEntries(forwards.map((f) => [String(f.guestPort), f.hostPort])),
      files,
      readyMarker: request.readyMarker,
      startedAt: new Date().toISOString(),
    };
    await writeVmRecord(files.record, record);

    const timeoutMs = request.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    request.onStage?.('starting QEMU');
    const { pid } = await launchDetachedQemu({
      qemuBinary: request.qemuBinary,
      argv,
      stderrLog: files.stderrLog,
      qmpSocket: files.qmpSocket,
      timeoutMs: 30_000,
      signal: request.signal,
    });
    const instance: VmInstance = { record, pid, alive: true };
    try {
      await this.withQmp(record, async (qmp) => {
        const status = await qmp.execute('query-status');
        if (typeof status !== 'object' || status === null) throw new VmError('query-status gave no status.');
      });
      request.onStage?.('QMP ready');
      const isAlive = () => isOurQemu(pid, files.pidFile);
      if (request.readyMarker !== undefined) {
        request.onStage?.('kernel booting');
        await waitForSerialMarker({
          serialLog: files.serialLog,
          marker: request.readyMarker,
          timeoutMs: Math.max(1, deadline - Date.now()),
          isAlive,
          signal: request.signal,
        });
      }
      if (record.ssh !== undefined) {
        await waitForSsh(record.ssh, Math.max(1, deadline - Date.now()), request.signal);
        request.onStage?.('SSH ready');
      }
    } catch (error) {
      // QEMU opens its sockets before it creates devices, so a bad device can end it after the
      // socket appeared: then what QEMU said is the error, not the refused connection.
      if (await waitForExit(pid, files.pidFile, 500)) {
        const said = (await readFile(files.stderrLog, 'utf8').catch(() => '')).trim().split('\n').slice(-8).join('\n');
        throw new VmError(`QEMU exited while starting${said ? `:\n${said}` : '.'}`, {
          hint: `QEMU's full output is in ${files.stderrLog}.`,
          cause: error,
        });
      }
      // A boot that fails half-way must not leave a QEMU behind.
      await this.kill(instance).catch(() => undefined);
      throw error;
    }
    return { instance, alreadyRunning: false };
  }

  async powerDown(instance: VmInstance, options: PowerDownOptions): Promise<void> {
    const { record } = instance;
    if (!instance.alive || instance.pid === undefined) return;
    await this.withQmp(record, (qmp) => qmp.execute('system_powerdown'));
    if (await waitForExit(instance.pid, record.files.pidFile, options.timeoutMs)) return;
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
    try {
      await this.withQmp(record, (qmp) => qmp.execute('quit'));
    } catch {
      // QMP is gone or hung: the process must still end.
    }
    if (await waitForExit(pid, record.files.pidFile, 5_000)) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return; // Already gone.
    }
    await waitForExit(pid, record.files.pidFile, 5_000);
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
    };
    if (!instance.alive) {
      return { ...base, state: 'stopped', reason: await reasonForExit(record.files), accel: undefined, pid: undefined, ssh: undefined };
    }
    try {
      return await this.withQmp(record, async (qmp) => ({
        ...base,
        state: stateFromQueryStatus(await qmp.execute('query-status')),
        reason: undefined,
        accel: accelFromQueryKvm(await qmp.execute('query-kvm')),
      }));
    } catch (error) {
      return { ...base, state: 'connection-lost', reason: error instanceof Error ? error.message : String(error), accel: record.accel };
    }
  }

  private requireAlive(instance: VmInstance): VmRecord {
    if (!instance.alive) {
      throw new VmError(`VM "${instance.record.vmName}" is not running.`, { hint: `Start it with qemu-lab up ${instance.record.vmName}.` });
    }
    return instance.record;
  }

  private async withQmp<T>(record: VmRecord, use: (qmp: QmpClient) => Promise<T>): Promise<T> {
    const qmp = new QmpClient({ defaultTimeoutMs: QMP_TIMEOUT_MS });
    await qmp.connect(record.files.qmpSocket);
    try {
      return await use(qmp);
    } finally {
      await qmp.disconnect();
    }
  }
}
