import * as vscode from 'vscode';
import type { HostState, HostTransport } from '../../core/infrastructure/hosts/host';
import { SshTransport } from '../../core/infrastructure/hosts/transports/ssh-transport';

/** A host's transport by the lab's host name: the editor's pooled one, or undefined for `local`. */
export type TransportOf = (hostName: string) => HostTransport | undefined;

/** A host's connection changed state. */
export interface HostStateChange {
  readonly host: string;
  readonly state: HostState;
}

/**
 * The connection states of the lab's SSH hosts, for the tree: it follows each host's pooled
 * transport (the same connection the VMs there use) and says when a state changes.
 */
export class HostConnections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HostStateChange>();
  private readonly followed = new Map<HostTransport, vscode.Disposable>();

  /** Fires on every state change of a followed host. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly transportOf: TransportOf) {}

  /** The state of a host's connection; undefined for this machine. Starts following it. */
  stateOf(host: string): HostState | undefined {
    return this.follow(host)?.state;
  }

  /**
   * Connects to a host again now (with the transport's retries and backoff) rather than on the
   * next use. Rejects with the transport's error (unreachable, auth, host key) when it fails.
   */
  async reconnect(host: string): Promise<void> {
    const transport = this.follow(host);
    if (transport instanceof SshTransport) await transport.connect();
  }

  private follow(host: string): HostTransport | undefined {
    const transport = this.transportOf(host);
    if (transport !== undefined && !this.followed.has(transport)) {
      this.followed.set(transport, transport.onStateChange((state) => this.changed.fire({ host, state })));
    }
    return transport;
  }

  dispose(): void {
    for (const subscription of this.followed.values()) subscription.dispose();
    this.followed.clear();
    this.changed.dispose();
  }
}
