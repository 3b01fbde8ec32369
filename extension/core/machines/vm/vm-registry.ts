import { StateTrustError } from '../../infrastructure/files/private-state';
import { LibvirtError } from '../../infrastructure/libvirt/libvirt-errors';
import type { HostVmBackend, VmKey } from './backend';
import type { VmRecord } from './vm-record';
import type { VmState } from './vm-state';
import { VmWatcher, type VmStateChange } from './vm-watcher';

/** What the registry knows of one VM of a lab. */
export interface KnownVm {
  readonly key: VmKey;
  readonly state: VmState;
  readonly reason: string | undefined;
  /** Present once QEMU Lab has started the VM (this session or an earlier one). */
  readonly record: VmRecord | undefined;
  readonly pid: number | undefined;
}

function keyOf(key: VmKey): string {
  return `${key.labPath}\u0000${key.vmName}\u0000${key.host}`;
}

/**
 * The live state of the VMs the editor shows. For each running VM it keeps a {@link VmWatcher}
 * on the VM's watch socket, so states change from QMP events, not from polling; `refresh`
 * re-reads what is on disk (after a boot, or when a CLI in a terminal started a VM).
 */
export class VmRegistry {
  private readonly known = new Map<string, KnownVm>();
  private readonly watchers = new Map<string, VmWatcher>();
  private disposed = false;

  constructor(
    private readonly backend: HostVmBackend,
    private readonly onChange: (vm: KnownVm) => void,
    private readonly onTrace?: (vmName: string, direction: 'send' | 'recv', line: string) => void,
  ) {}

  /** What is known of a VM now; `stopped` for a VM never seen. */
  get(key: VmKey): KnownVm {
    return this.known.get(keyOf(key)) ?? { key, state: 'stopped', reason: undefined, record: undefined, pid: undefined };
  }

  /** Every VM followed now, with what is known of it. */
  all(): KnownVm[] {
    return [...this.known.values()];
  }

  /** Sets the VMs to follow: finds each on disk, watches the running ones, forgets the rest. */
  async refresh(keys: readonly VmKey[]): Promise<void> {
    const wanted = new Set(keys.map(keyOf));
    for (const [id, watcher] of this.watchers) {
      if (!wanted.has(id)) {
        this.watchers.delete(id);
        void watcher.dispose();
      }
    }
    for (const id of [...this.known.keys()]) if (!wanted.has(id)) this.known.delete(id);
    await Promise.all(keys.map((key) => this.refreshOne(key)));
  }

  /** Re-reads one VM (after a command changed it). */
  async refreshOne(key: VmKey): Promise<void> {
    const id = keyOf(key);
    let instance;
    try {
      instance = await this.backend.find(key);
    } catch (error) {
      // A record QEMU Lab refuses to trust is shown as such, with what to do; nothing acts on it.
      if (!(error instanceof StateTrustError)) throw error;
      this.dropWatcher(id);
      if (!this.disposed) this.update(id, { key, state: 'error', reason: error.describe(), record: undefined, pid: undefined });
      return;
    }
    if (this.disposed) return;
    if (instance === undefined || !instance.alive) {
      this.dropWatcher(id);
      const status = instance === undefined ? undefined : await this.backend.status(instance);
      this.update(id, { key, state: 'stopped', reason: status?.reason, record: instance?.record, pid: undefined });
      return;
    }
    // Already following its events — unless its connection was lost: then follow it anew (the
    // host's SSH connection may be back).
    if (this.watchers.has(id) && this.known.get(id)?.state !== 'connection-lost') return;
    this.dropWatcher(id);
    const watcher = new VmWatcher(instance, this.backend, (change: VmStateChange) => {
      this.update(id, { key, state: change.state, reason: change.reason, record: instance.record, pid: instance.pid });
      if (change.state === 'stopped') this.dropWatcher(id);
    }, { onTrace: this.onTrace === undefined ? undefined : (direction, line) => this.onTrace?.(key.vmName, direction, line) });
    this.watchers.set(id, watcher);
    try {
      await watcher.start();
    } catch (error) {
      this.dropWatcher(id);
      if (error instanceof LibvirtError) {
        // libvirt owns a domain's monitors: no events to follow, so its state is read at each refresh.
        const status = await this.backend.status(instance);
        if (!this.disposed) this.update(id, { key, state: status.state, reason: status.reason, record: instance.record, pid: instance.pid });
        return;
      }
      this.update(id, { key, state: 'connection-lost', reason: error instanceof Error ? error.message : String(error), record: instance.record, pid: instance.pid });
    }
  }

  private dropWatcher(id: string): void {
    const watcher = this.watchers.get(id);
    this.watchers.delete(id);
    if (watcher !== undefined) void watcher.dispose();
  }

  private update(id: string, vm: KnownVm): void {
    const before = this.known.get(id);
    this.known.set(id, vm);
    if (before?.state !== vm.state || before.reason !== vm.reason || before.pid !== vm.pid) this.onChange(vm);
  }

  /** Stops following every VM; the VMs keep running. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(watchers.map((w) => w.dispose()));
  }
}
