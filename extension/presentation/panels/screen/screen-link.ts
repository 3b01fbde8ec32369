/**
 * The extension's end of a screen panel's connection, without VS Code: on `connect` it opens a
 * relay to the VM's VNC server (a new numbered session, the previous one closed), posts what QEMU
 * sends as `data` of that session, writes the webview's `data` of that session to QEMU, and
 * drops bytes of any other session — sent before a reconnect, or made up. The panel
 * (extension/vscode/panels/screen/) wires it to the webview; tests wire it to arrays.
 */
import { describeError } from '../../../core/errors';
import type { ScreenRelayListener } from '../../../core/machines/screen/screen-relay';
import type { ToScreenWebview } from '../../../../webview/screen/protocol';

/** What a {@link ScreenLink} needs of a relay. */
export interface ScreenLinkRelay {
  start(listener: ScreenRelayListener): void;
  send(bytes: Uint8Array): boolean;
  close(): void;
}

/** What a {@link ScreenLink} is given. */
export interface ScreenLinkDependencies {
  /** Opens a relay to the VM's screen (checks the VM runs and has one); rejects with a reason for the user. */
  readonly open: () => Promise<ScreenLinkRelay>;
  /** Posts a message to the webview. */
  readonly post: (message: ToScreenWebview) => void;
}

/** One panel's connection to its VM's screen, one session at a time. */
export class ScreenLink {
  private session = 0;
  private relay: ScreenLinkRelay | undefined;
  private disposed = false;

  constructor(private readonly deps: ScreenLinkDependencies) {}

  /** The session now (0 before the first `connect`). */
  get current(): number {
    return this.session;
  }

  /** Closes the current session and opens a new one; resolves once it is open or has failed (and said so). */
  async connect(): Promise<void> {
    if (this.disposed) return;
    this.closeRelay();
    const session = ++this.session;
    let relay: ScreenLinkRelay;
    try {
      relay = await this.deps.open();
    } catch (error) {
      if (session === this.session && !this.disposed) this.deps.post({ type: 'closed', session, reason: describeError(error) });
      return;
    }
    if (session !== this.session || this.disposed) {
      relay.close(); // A newer connect (or the panel closing) overtook this one.
      return;
    }
    this.relay = relay;
    this.deps.post({ type: 'opened', session });
    relay.start({
      data: (bytes) => {
        if (session === this.session) this.deps.post({ type: 'data', session, bytes });
      },
      closed: (reason) => {
        if (session !== this.session || reason === undefined) return;
        this.relay = undefined;
        this.deps.post({ type: 'closed', session, reason });
      },
    });
  }

  /** Writes the webview's bytes of `session` to QEMU; false (dropped) for any other session, or when none is open. */
  send(session: number, bytes: Uint8Array): boolean {
    if (session !== this.session || this.relay === undefined) return false;
    return this.relay.send(bytes);
  }

  /** The webview is done with `session`: closes it if it is the current one. */
  disconnect(session: number): void {
    if (session === this.session) this.closeRelay();
  }

  /** Closes the connection for good (the panel closed); the VM keeps running. */
  dispose(): void {
    this.disposed = true;
    this.closeRelay();
  }

  private closeRelay(): void {
    const relay = this.relay;
    this.relay = undefined;
    relay?.close();
  }
}
