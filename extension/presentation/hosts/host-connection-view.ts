/**
 * How an SSH host's connection state looks in the tree, as plain data (no `vscode` import, so it
 * is unit-tested without an editor; host-item.ts turns it into a TreeItem).
 */
import { describeError } from '../../core/errors';
import type { HostState } from '../../core/infrastructure/hosts/host';
import type { HostSpec } from '../../core/lab/model';

/** The context value of an SSH host whose connection is down: menus offer "Reconnect" on it. */
export const UNREACHABLE_HOST_CONTEXT = 'qemuLab.host.ssh.unreachable';

/** A codicon and, optionally, a theme colour id. */
export interface HostIcon {
  readonly id: string;
  readonly color?: string;
}

/** What the tree shows for an SSH host. */
export interface HostConnectionView {
  readonly description: string;
  /** Plain text (the error of a lost connection with its hint, as is). */
  readonly tooltip: string;
  readonly icon: HostIcon;
  readonly contextValue: string;
  /** False when the connection is down (dropped, or the last attempt failed). */
  readonly reachable: boolean;
}

function clock(at: Date): string {
  return at.toTimeString().slice(0, 8);
}

/** `ssh user@address:port`, as the lab file says it. */
export function sshTargetText(spec: Extract<HostSpec, { kind: 'ssh' }>): string {
  return `ssh ${spec.user === undefined ? '' : `${spec.user}@`}${spec.address}${spec.port === undefined ? '' : `:${spec.port}`}`;
}

/**
 * The view of an SSH host in connection state `state` (undefined: no connection was made yet).
 * A dropped connection and a failed attempt both show as unreachable, with the error (and what
 * to do) as the tooltip; the VMs there are left running, which the tooltip says.
 */
export function hostConnectionView(name: string, spec: Extract<HostSpec, { kind: 'ssh' }>, state: HostState | undefined): HostConnectionView {
  const target = sshTargetText(spec);
  const base = { contextValue: 'qemuLab.host.ssh', reachable: true };
  switch (state?.kind) {
    case undefined:
    case 'idle':
      return {
        ...base,
        description: target,
        tooltip: `Host "${name}" is reached over SSH (${spec.address}); QEMU Lab connects when a VM there is first used, and keeps one connection per host.`,
        icon: { id: 'remote' },
      };
    case 'connecting':
      return {
        ...base,
        description: `${target} · connecting${state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}…`,
        tooltip: `Connecting to host "${name}" (${spec.address}).`,
        icon: { id: 'loading~spin' },
      };
    case 'connected':
      return {
        ...base,
        description: `${target} · connected`,
        tooltip: `Connected to host "${name}" (${spec.address}) since ${clock(state.since)}; one SSH connection, shared by every VM there.`,
        icon: { id: 'remote', color: 'testing.iconPassed' },
      };
    case 'disconnected':
    case 'unreachable': {
      const what = state.kind === 'disconnected' ? 'connection lost' : 'unreachable';
      return {
        description: `${target} · ${what}`,
        tooltip: [
          `Host "${name}" is unreachable (${what} at ${clock(state.at)}):`,
          describeError(state.reason),
          '',
          'Its VMs were not stopped: they keep running there. "Reconnect" tries again; so does the next action on a VM there.',
        ].join('\n'),
        icon: { id: 'debug-disconnect', color: 'charts.red' },
        contextValue: UNREACHABLE_HOST_CONTEXT,
        reachable: false,
      };
    }
    case 'disposed':
      return { ...base, description: `${target} · closed`, tooltip: `The connection to host "${name}" was closed.`, icon: { id: 'remote' } };
  }
}
