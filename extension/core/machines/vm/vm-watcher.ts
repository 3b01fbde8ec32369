import { QmpClient } from '../../infrastructure/qmp/client';
import type { QmpError } from '../../infrastructure/qmp/errors';
import { isQmpObject } from '../../infrastructure/qmp/messages';
import type { HostVmBackend, VmInstance } from './backend';
import { waitForExit } from './process';
import { describeShutdown, stateAfterEvent, STATE_EVENTS, type VmState } from './vm-state';
import { reasonForExit, stateFromQueryStatus } from './vm-status';

/** A state change seen by a {@link VmWatcher}. */
export interface VmStateChange {
  readonly state: VmState;
  /** Why, when it is not obvious (QEMU's last words, a lost connection). */
  readonly reason: string | undefined;
}

/**
 * Follows one running VM's state through QMP events on its watch socket (a second monitor, so
 * the CLI and commands keep the command socket): `query-status` once, then STOP, RESUME,
 * POWERDOWN, SHUTDOWN, RESET… as they come. No polling. When the connection ends it decides
 * between "stopped" (QEMU is gone: with the reason from its log) and "connection lost".
 */
export class VmWatcher {
  private readonly qmp: QmpClient;
  /** Undefined until the first `query-status` answered: the first state is always reported. */
  private current: VmStateChange | undefined;
  private disposed = false;

  constructor(
    private readonly instance: VmInstance,
    private readonly backend: HostVmBackend,
    private readonly onChange: (change: VmStateChange) => void,
    options: { onTrace?: (direction: 'send' | 'recv', line: string) => void } = {},
  ) {
    this.qmp = new QmpClient({
      name: instance.record.vmName,
      onTrace: options.onTrace,
      onDisconnect: (error) => void this.connectionEnded(error),
    });
  }

  /** The last state seen, if any yet. */
  get state(): VmStateChange | undefined {
    return this.current;
  }

  /** Connects, reads the current state, and starts following events. */
  async start(): Promise<void> {
    const listener = this.qmp.listen(STATE_EVENTS);
    await this.backend.connectQmp(this.instance.record, this.qmp, 'watch');
    this.set({ state: stateFromQueryStatus(await this.qmp.execute('query-status')), reason: undefined });
    void (async () => {
      for await (const event of listener) {
        const data = isQmpObject(event.data) ? event.data : {};
        const before = this.current?.state ?? 'running';
        const reason = event.event === 'SHUTDOWN' ? describeShutdown(data.reason) : undefined;
        this.set({ state: stateAfterEvent(before, event.event, data), reason });
      }
    })();
  }

  private set(change: VmStateChange): void {
    if (this.disposed) return;
    if (this.current !== undefined && change.state === this.current.state && change.reason === this.current.reason) return;
    this.current = change;
    this.onChange(change);
  }

  private async connectionEnded(error: QmpError | undefined): Promise<void> {
    if (this.disposed) return;
    const { pid, record } = this.instance;
    // QEMU closes its sockets a moment before its process ends: give it that moment.
    const system = this.backend.systemOf(record);
    let exited: boolean;
    try {
      exited = pid === undefined || (await waitForExit(system, pid, record.files.pidFile, 2_000));
    } catch (lookError) {
      // The host cannot be asked (its SSH connection is down): the VM is not known to be gone,
      // and a remote VM outlives the connection, so it is "connection lost", never "stopped".
      this.set({ state: 'connection-lost', reason: lookError instanceof Error ? lookError.message : String(lookError) });
      return;
    }
    if (!exited) {
      this.set({ state: 'connection-lost', reason: error?.message ?? 'The QMP connection closed.' });
    } else {
      this.set({ state: 'stopped', reason: await reasonForExit(system, record.files) });
    }
  }

  /** Stops following; the VM itself is not touched. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.qmp.disconnect();
  }
}
