import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { QmpClient } from '../../infrastructure/qmp/client';
import type { QmpValue } from '../../infrastructure/qmp/messages';
import type { BootRequest, HostVmBackend, PowerDownOptions, VmInstance, VmKey } from './backend';
import type { VmMove, VmRecord } from './vm-record';
import type { VmStatus } from './vm-status';

/**
 * One {@link HostVmBackend} over two: each call goes to the backend of the VM's host — libvirt for
 * a `kind: libvirt` host, QEMU directly for the others. Callers (`up`, the views, the CLI) keep
 * one backend and never ask which.
 */
export class HostKindBackend implements HostVmBackend {
  constructor(
    private readonly direct: HostVmBackend,
    private readonly libvirt: HostVmBackend,
    /** Whether a lab host is a libvirt host. */
    private readonly isLibvirt: (host: string) => boolean,
  ) {}

  private of(host: string): HostVmBackend {
    return this.isLibvirt(host) ? this.libvirt : this.direct;
  }

  systemOf(key: Pick<VmKey, 'host'>): HostSystem {
    return this.of(key.host).systemOf(key);
  }
  find(key: VmKey): Promise<VmInstance | undefined> {
    return this.of(key.host).find(key);
  }
  findAt(key: VmKey): Promise<VmInstance | undefined> {
    return this.of(key.host).findAt(key);
  }
  boot(request: BootRequest): Promise<{ readonly instance: VmInstance; readonly alreadyRunning: boolean }> {
    return this.of(request.key.host).boot(request);
  }
  powerDown(instance: VmInstance, options: PowerDownOptions): Promise<void> {
    return this.of(instance.record.host).powerDown(instance, options);
  }
  kill(instance: VmInstance): Promise<void> {
    return this.of(instance.record.host).kill(instance);
  }
  pause(instance: VmInstance): Promise<void> {
    return this.of(instance.record.host).pause(instance);
  }
  resume(instance: VmInstance): Promise<void> {
    return this.of(instance.record.host).resume(instance);
  }
  reset(instance: VmInstance): Promise<void> {
    return this.of(instance.record.host).reset(instance);
  }
  status(instance: VmInstance): Promise<VmStatus> {
    return this.of(instance.record.host).status(instance);
  }
  qmp(instance: VmInstance, command: string, args?: Record<string, QmpValue>): Promise<QmpValue> {
    return this.of(instance.record.host).qmp(instance, command, args);
  }
  markMoved(key: VmKey, to: VmMove): Promise<void> {
    return this.of(key.host).markMoved(key, to);
  }
  removeRunFiles(record: VmRecord, options: { keepRecord: boolean }): Promise<void> {
    return this.of(record.host).removeRunFiles(record, options);
  }
  connectQmp(record: VmRecord, client: QmpClient, monitor?: 'qmp' | 'watch'): Promise<void> {
    return this.of(record.host).connectQmp(record, client, monitor);
  }
  releaseNetwork(record: VmRecord): Promise<void> {
    return this.of(record.host).releaseNetwork(record);
  }
}
