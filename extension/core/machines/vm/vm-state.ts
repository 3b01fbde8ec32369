/**
 * The state of a VM as QEMU Lab shows it. It comes from QMP — `query-status` and the events
 * STOP, RESUME, SHUTDOWN, POWERDOWN, RESET, MIGRATION — never from guesses.
 */
export type VmState =
  | 'running'
  | 'paused'
  /** The guest was asked to power off (ACPI) and has not yet. */
  | 'powering-down'
  | 'migrating'
  /** Waiting for an incoming migration (`-incoming`). */
  | 'incoming'
  /** QEMU is not running. */
  | 'stopped'
  /** QEMU runs, but its QMP socket stopped answering. */
  | 'connection-lost'
  /** The guest crashed or QEMU hit an error; QEMU still runs. */
  | 'error';

/** QEMU's `RunState` names (QAPI `RunState`) mapped to what a person wants to see. */
export function stateFromRunState(status: string): VmState {
  switch (status) {
    case 'running':
      return 'running';
    case 'paused':
    case 'suspended':
    case 'prelaunch':
    case 'debug':
    case 'save-vm':
    case 'restore-vm':
    case 'postmigrate':
    case 'shutdown':
      // `shutdown` with -no-shutdown, and `postmigrate` on a migration source: QEMU is alive
      // but the guest is not running.
      return 'paused';
    case 'inmigrate':
      return 'incoming';
    case 'finish-migrate':
    case 'colo':
      return 'migrating';
    case 'guest-panicked':
    case 'internal-error':
    case 'io-error':
    case 'watchdog':
      return 'error';
    default:
      return 'error';
  }
}

/** The state after a QMP event, given the state before it. Events that do not change it return it. */
export function stateAfterEvent(before: VmState, event: string, data: { readonly status?: unknown } = {}): VmState {
  switch (event) {
    case 'STOP':
      return before === 'migrating' ? 'migrating' : 'paused';
    case 'RESUME':
      return 'running';
    case 'POWERDOWN':
      return 'powering-down';
    case 'SHUTDOWN':
      return 'stopped';
    case 'RESET':
      return before === 'powering-down' ? 'running' : before;
    case 'GUEST_PANICKED':
      return 'error';
    case 'MIGRATION':
      if (data.status === 'active' || data.status === 'setup' || data.status === 'device') return 'migrating';
      if (data.status === 'completed') return 'paused';
      if (data.status === 'failed' || data.status === 'cancelled') return 'running';
      return before;
    default:
      return before;
  }
}

/** The QMP events that change a VM's state. */
export const STATE_EVENTS: readonly string[] = ['STOP', 'RESUME', 'POWERDOWN', 'SHUTDOWN', 'RESET', 'GUEST_PANICKED', 'MIGRATION'];

/** Words for the `reason` of QEMU's SHUTDOWN event (QAPI `ShutdownCause`). */
export function describeShutdown(cause: unknown): string {
  switch (cause) {
    case 'guest-shutdown':
      return 'The guest powered off.';
    case 'guest-reset':
      return 'The guest rebooted, and QEMU was told not to reboot.';
    case 'guest-panic':
      return 'The guest kernel panicked.';
    case 'host-qmp-quit':
      return 'QEMU was told to quit (QMP quit).';
    case 'host-qmp-system-reset':
      return 'QEMU was reset through QMP.';
    case 'host-signal':
      return 'QEMU was ended by a signal on the host.';
    case 'host-ui':
      return "QEMU's window was closed.";
    default:
      return typeof cause === 'string' ? `QEMU shut down (${cause}).` : 'QEMU shut down.';
  }
}
