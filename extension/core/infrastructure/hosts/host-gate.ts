/**
 * Whether hosts may be reached at all. Everything that starts a process or opens a connection
 * for QEMU Lab — the local and SSH transports, this machine's `HostSystem` — asks its gate
 * first and refuses with {@link HostAccessRefusedError} while it is closed. The editor closes it
 * in an untrusted workspace (Restricted Mode), so no caller, present or future, reaches a host
 * from a lab file the user has not trusted; the CLI runs on the file its user names: always open.
 */
import { HostAccessRefusedError } from './host-errors';

/** Decides, at each use, whether a process may start or a connection open. */
export interface HostGate {
  /** Whether hosts may be reached now. */
  readonly isOpen: boolean;
  /** Throws {@link HostAccessRefusedError}, naming `action`, when the gate is closed. */
  assertOpen(action: string): void;
}

/** Why a gate is closed, and what a person can do about it. */
export interface ClosedGateReason {
  /** E.g. "this workspace is not trusted (Restricted Mode)". */
  readonly reason: string;
  /** E.g. how to trust the workspace. */
  readonly hint: string;
}

/** A gate that asks `isOpen` at each use (the editor: whether the workspace is trusted). */
export class ConditionalHostGate implements HostGate {
  constructor(
    private readonly open: () => boolean,
    private readonly closed: ClosedGateReason,
  ) {}

  get isOpen(): boolean {
    return this.open();
  }

  assertOpen(action: string): void {
    if (!this.open()) throw new HostAccessRefusedError(action, this.closed.reason, { hint: this.closed.hint });
  }
}

/** A gate that is always open: the CLI, and code that runs only on the user's explicit request. */
export const OPEN_HOST_GATE: HostGate = {
  isOpen: true,
  assertOpen: () => undefined,
};
