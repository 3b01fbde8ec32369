/**
 * What noVNC talks RFB through in the screen panel: an object that behaves like an open
 * WebSocket (noVNC's `RfbChannel`), whose bytes travel as the panel's `data` messages of one
 * session. The extension relays them to and from the VM's VNC socket.
 */
import type { RfbChannel } from '@novnc/novnc';
import type { FromScreenWebview } from './protocol';

/** WebSocket's readyState values noVNC reads. */
const OPEN = 1;
const CLOSED = 3;

/** One session's channel; it is open from the start (the extension said `opened`). */
export class SessionChannel implements RfbChannel {
  // Own fields, all set: noVNC checks that each property it uses exists on the object.
  binaryType = 'arraybuffer';
  readonly protocol = '';
  readyState: number = OPEN;
  onopen: RfbChannel['onopen'] = null;
  onmessage: RfbChannel['onmessage'] = null;
  onclose: RfbChannel['onclose'] = null;
  onerror: RfbChannel['onerror'] = null;

  constructor(
    readonly session: number,
    private readonly post: (message: FromScreenWebview) => void,
  ) {}

  /** noVNC sends: a copy, since noVNC reuses its send buffer. */
  send(data: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    this.post({ type: 'data', session: this.session, bytes: data.slice() });
  }

  /** noVNC is done with the connection. */
  close(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.post({ type: 'disconnect', session: this.session });
    this.onclose?.({ code: 1000, reason: '', wasClean: true });
  }

  /** Bytes from the VM's VNC server, for noVNC. */
  deliver(bytes: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  }

  /** The extension closed the session (the VM stopped, the socket failed). */
  closedBy(reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code: 1006, reason, wasClean: false });
  }
}
