/**
 * The bytes between a VM's VNC server and a viewer that cannot open a UNIX socket itself (the
 * editor's screen panel: a webview). The relay opens the VM's screen socket on its host
 * ({@link openScreenSocket}), hands what QEMU sends to `data` as fresh byte arrays of at most
 * {@link MAX_SCREEN_CHUNK} bytes, writes what the viewer sends, and says once when it closed.
 *
 * It does not read RFB: the viewer speaks it end to end. Nor does it buffer: RFB has its own flow
 * control (the server sends a screen update only when the viewer asked for one), so what QEMU
 * sends is bounded by what the viewer could take.
 */
import type { Duplex } from 'node:stream';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { VmRecord } from '../vm/vm-record';
import { openScreenSocket } from './screen-socket';

/** The largest piece of screen data handed on in one call (and one panel message): 1 MiB. */
export const MAX_SCREEN_CHUNK = 1024 * 1024;

/** Who receives the screen's bytes. */
export interface ScreenRelayListener {
  /** Bytes QEMU sent, in order; each array is the listener's to keep. */
  readonly data: (bytes: Uint8Array) => void;
  /** The relay closed: `reason` when the socket failed or QEMU went away, undefined when {@link ScreenRelay.close} was called. */
  readonly closed: (reason: string | undefined) => void;
}

/** Splits a received buffer into fresh arrays of at most `max` bytes (copies: a socket's buffers are pooled). */
export function screenChunks(buffer: Uint8Array, max = MAX_SCREEN_CHUNK): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  // `new Uint8Array(view)` copies; a Buffer's own slice() would not, and would stay a Buffer.
  for (let offset = 0; offset < buffer.byteLength; offset += max) chunks.push(new Uint8Array(buffer.subarray(offset, Math.min(offset + max, buffer.byteLength))));
  return chunks;
}

/** One viewer's connection to a VM's screen. */
export class ScreenRelay {
  private state: 'ready' | 'started' | 'closed' = 'ready';

  private constructor(private readonly socket: Duplex) {}

  /**
   * Opens the screen of the VM of `record` on its host. Nothing is read until {@link start}.
   *
   * @throws VmError when the VM has no screen or its socket does not open.
   */
  static async open(system: HostSystem, record: Pick<VmRecord, 'vmName' | 'files'>, timeoutMs?: number): Promise<ScreenRelay> {
    return new ScreenRelay(await openScreenSocket(system, record, timeoutMs));
  }

  /** Starts handing QEMU's bytes to `listener`; once only. */
  start(listener: ScreenRelayListener): void {
    if (this.state !== 'ready') throw new Error(`a screen relay is started once (it is ${this.state})`);
    this.state = 'started';
    let failure: string | undefined;
    this.socket.on('data', (buffer: Buffer) => {
      for (const chunk of screenChunks(buffer)) listener.data(chunk);
    });
    this.socket.on('error', (error: Error) => {
      failure = (error as NodeJS.ErrnoException).code ?? error.message;
    });
    this.socket.on('close', () => {
      const closedByUs = this.state === 'closed';
      this.state = 'closed';
      listener.closed(closedByUs ? undefined : failure === undefined ? 'the VM closed its screen (it stopped, or reset its display)' : `the screen connection failed (${failure})`);
    });
  }

  /** Sends the viewer's bytes to QEMU; false once closed. */
  send(bytes: Uint8Array): boolean {
    if (this.state === 'closed' || this.socket.destroyed) return false;
    this.socket.write(bytes);
    return true;
  }

  /** Closes the connection (the VM keeps running); the listener hears `closed` once, without a reason. */
  close(): void {
    if (this.state === 'closed') return;
    const started = this.state === 'started';
    this.state = 'closed';
    if (!started) this.socket.on('error', () => undefined); // Nobody listens: nothing to tell.
    this.socket.destroy();
  }
}
