/**
 * A small RFB (VNC) client for tests, over any byte pipe: version 3.8, security None, one full
 * framebuffer update in Raw encoding — enough to prove that a screen shows something. Keys are
 * sent as X keysyms (KeyEvent), so a test can type into the guest through the same pipe.
 */

/** What the client reads from and writes to. */
export interface RfbPipe {
  send(bytes: Uint8Array): void;
}

/** The server's ServerInit. */
export interface RfbServerInit {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  readonly name: string;
}

/** One Raw-encoded update of the whole screen. */
export interface RfbFrame {
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
  readonly pixels: Uint8Array;
}

const KEYSYM_RETURN = 0xff0d;
const KEYSYM_SHIFT_L = 0xffe1;
/** Characters typed with Shift on a US keyboard (QEMU's default VNC keymap picks the key, not the Shift). */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

export class RfbTestClient {
  private buffered = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended: string | undefined;

  constructor(private readonly pipe: RfbPipe) {}

  /** Bytes from the server. */
  feed(bytes: Uint8Array): void {
    this.buffered = Buffer.concat([this.buffered, bytes]);
    this.waiter?.();
  }

  /** The server went away: pending reads fail. */
  end(reason: string): void {
    this.ended = reason;
    this.waiter?.();
  }

  private async read(count: number, timeoutMs = 30_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < count) {
      if (this.ended !== undefined) throw new Error(`the RFB server closed: ${this.ended}`);
      if (Date.now() > deadline) throw new Error(`no ${count} bytes from the RFB server in ${timeoutMs} ms (have ${this.buffered.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const out = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return Buffer.from(out);
  }

  /** ProtocolVersion, security None, ClientInit (shared), ServerInit; then asks for Raw encoding only. */
  async handshake(): Promise<RfbServerInit> {
    const version = (await this.read(12)).toString('latin1');
    if (!/^RFB 003\.00[378]\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
    this.pipe.send(Buffer.from('RFB 003.008\n', 'latin1'));
    const count = (await this.read(1))[0] ?? 0;
    if (count === 0) throw new Error('the RFB server offers no security type');
    const types = [...(await this.read(count))];
    if (!types.includes(1)) throw new Error(`the RFB server wants authentication (types ${types.join(', ')})`);
    this.pipe.send(Uint8Array.of(1));
    const result = (await this.read(4)).readUInt32BE(0);
    if (result !== 0) throw new Error(`RFB security result ${result}`);
    this.pipe.send(Uint8Array.of(1)); // ClientInit: shared
    const init = await this.read(24);
    const nameLength = init.readUInt32BE(20);
    const name = (await this.read(nameLength)).toString('utf8');
    const setEncodings = Buffer.alloc(8);
    setEncodings.writeUInt8(2, 0);
    setEncodings.writeUInt16BE(1, 2);
    setEncodings.writeInt32BE(0, 4); // Raw
    this.pipe.send(setEncodings);
    this.init = { width: init.readUInt16BE(0), height: init.readUInt16BE(2), bitsPerPixel: init.readUInt8(4), name };
    return this.init;
  }

  private init: RfbServerInit | undefined;

  /** Asks for the whole screen (not incremental) and reads it; other server messages are skipped. */
  async frame(): Promise<RfbFrame> {
    const init = this.init;
    if (init === undefined) throw new Error('handshake first');
    const request = Buffer.alloc(10);
    request.writeUInt8(3, 0);
    request.writeUInt8(0, 1); // not incremental
    request.writeUInt16BE(init.width, 6);
    request.writeUInt16BE(init.height, 8);
    this.pipe.send(request);
    let width = init.width;
    let height = init.height;
    const bytesPerPixel = init.bitsPerPixel / 8;
    let pixels = new Uint8Array(width * height * bytesPerPixel);
    for (;;) {
      const type = (await this.read(1))[0];
      if (type === 2) continue; // Bell
      if (type === 3) {
        const header = await this.read(7);
        await this.read(header.readUInt32BE(3)); // ServerCutText
        continue;
      }
      if (type !== 0) throw new Error(`unexpected RFB server message ${type}`);
      const header = await this.read(3);
      const rects = header.readUInt16BE(1);
      for (let i = 0; i < rects; i++) {
        const r = await this.read(12);
        const [x, y, w, h, encoding] = [r.readUInt16BE(0), r.readUInt16BE(2), r.readUInt16BE(4), r.readUInt16BE(6), r.readInt32BE(8)];
        if (encoding === -223) {
          // DesktopSize: the screen changed size (the guest switched modes).
          width = w;
          height = h;
          pixels = new Uint8Array(width * height * bytesPerPixel);
          continue;
        }
        if (encoding !== 0) throw new Error(`unexpected RFB encoding ${encoding}`);
        const data = await this.read(w * h * bytesPerPixel);
        for (let row = 0; row < h; row++) pixels.set(data.subarray(row * w * bytesPerPixel, (row + 1) * w * bytesPerPixel), ((y + row) * width + x) * bytesPerPixel);
      }
      return { width, height, bytesPerPixel, pixels };
    }
  }

  /** Types `text` (printable ASCII) and Return, as key presses and releases. */
  type(text: string): void {
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 || code > 0x7e) throw new Error(`only printable ASCII can be typed, not ${JSON.stringify(char)}`);
      if (SHIFTED.has(char)) this.press(KEYSYM_SHIFT_L, 1);
      this.key(code);
      if (SHIFTED.has(char)) this.press(KEYSYM_SHIFT_L, 0);
    }
    this.key(KEYSYM_RETURN);
  }

  /** Ctrl+Alt+Del, as noVNC's button sends it: both modifiers held while Delete is pressed. */
  ctrlAltDel(): void {
    const [control, alt, del] = [0xffe3, 0xffe9, 0xffff];
    this.press(control, 1);
    this.press(alt, 1);
    this.key(del);
    this.press(alt, 0);
    this.press(control, 0);
  }

  private key(keysym: number): void {
    this.press(keysym, 1);
    this.press(keysym, 0);
  }

  private press(keysym: number, down: 0 | 1): void {
    const event = Buffer.alloc(8);
    event.writeUInt8(4, 0);
    event.writeUInt8(down, 1);
    event.writeUInt32BE(keysym, 4);
    this.pipe.send(event);
  }
}

/** How many pixels of a frame are not black (any colour channel above 0x20). */
export function litPixels(frame: RfbFrame): number {
  let lit = 0;
  for (let i = 0; i < frame.pixels.length; i += frame.bytesPerPixel) {
    if (frame.pixels.subarray(i, i + Math.min(frame.bytesPerPixel, 3)).some((v) => v > 0x20)) lit++;
  }
  return lit;
}
