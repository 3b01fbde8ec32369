import { describe, expect, it } from 'vitest';
import { SessionChannel } from '../../../webview/screen/channel';
import { isFromScreenWebview, isToScreenWebview, MAX_SCREEN_MESSAGE_BYTES, screenPanelState, type FromScreenWebview } from '../../../webview/screen/protocol';
import { KEYSYM, keyPresses, untypable } from '../../../webview/screen/type-text';

describe('the screen panel\'s messages', () => {
  it('accepts bytes of a session', () => {
    expect(isFromScreenWebview({ type: 'data', session: 3, bytes: Uint8Array.of(1, 2) })).toBe(true);
    expect(isToScreenWebview({ type: 'data', session: 1, bytes: new Uint8Array(MAX_SCREEN_MESSAGE_BYTES) })).toBe(true);
    expect(isFromScreenWebview({ type: 'connect' })).toBe(true);
    expect(isFromScreenWebview({ type: 'disconnect', session: 1 })).toBe(true);
  });

  it.each([
    ['no session', { type: 'data', bytes: Uint8Array.of(1) }],
    ['session 0', { type: 'data', session: 0, bytes: Uint8Array.of(1) }],
    ['a fractional session', { type: 'data', session: 1.5, bytes: Uint8Array.of(1) }],
    ['bytes as a JSON array', { type: 'data', session: 1, bytes: [1, 2, 3] }],
    ['bytes as text', { type: 'data', session: 1, bytes: 'RFB' }],
    ['more bytes than a message carries', { type: 'data', session: 1, bytes: new Uint8Array(MAX_SCREEN_MESSAGE_BYTES + 1) }],
    ['an unknown type', { type: 'connectTo', path: '/run/other.sock' }],
  ])('drops a message with %s', (_, message) => {
    expect(isFromScreenWebview(message)).toBe(false);
    expect(isToScreenWebview(message)).toBe(false);
  });

  it('keeps only a well-formed target as the panel\'s state', () => {
    expect(screenPanelState({ target: { labPath: '/l/qemu-lab.yaml', vmName: 'vm1', host: 'local' } })).toEqual({ target: { labPath: '/l/qemu-lab.yaml', vmName: 'vm1', host: 'local' } });
    expect(screenPanelState({ target: { labPath: '', vmName: 'vm1', host: 'local' } })).toEqual({});
    expect(screenPanelState('nonsense')).toEqual({});
  });
});

describe('SessionChannel: what noVNC talks through', () => {
  it('has every property noVNC checks for, and is open from the start', () => {
    const channel = new SessionChannel(1, () => undefined);
    const props = [...Object.keys(channel), ...Object.getOwnPropertyNames(Object.getPrototypeOf(channel))];
    for (const prop of ['send', 'close', 'binaryType', 'onerror', 'onmessage', 'onopen', 'protocol', 'readyState']) expect(props).toContain(prop);
    expect(channel.readyState).toBe(1);
  });

  it('posts a copy of what noVNC sends, as data of its session', () => {
    const posted: FromScreenWebview[] = [];
    const channel = new SessionChannel(4, (m) => posted.push(m));
    const buffer = new Uint8Array(16);
    buffer.set([1, 2, 3]);
    channel.send(buffer.subarray(0, 3));
    buffer.fill(9); // noVNC reuses its send buffer
    expect(posted).toEqual([{ type: 'data', session: 4, bytes: Uint8Array.of(1, 2, 3) }]);
  });

  it('gives noVNC each received chunk as its own ArrayBuffer', () => {
    const channel = new SessionChannel(1, () => undefined);
    const got: ArrayBuffer[] = [];
    channel.onmessage = (event) => got.push(event.data);
    channel.deliver(new Uint8Array([0, 5, 6, 0]).subarray(1, 3));
    expect([...new Uint8Array(got[0] ?? new ArrayBuffer(0))]).toEqual([5, 6]);
  });

  it('says disconnect once when noVNC closes it, and then sends nothing', () => {
    const posted: FromScreenWebview[] = [];
    const channel = new SessionChannel(2, (m) => posted.push(m));
    let closes = 0;
    channel.onclose = () => closes++;
    channel.close();
    channel.close();
    channel.send(Uint8Array.of(1));
    expect(posted).toEqual([{ type: 'disconnect', session: 2 }]);
    expect(closes).toBe(1);
  });

  it('tells noVNC why when the extension closed the session', () => {
    const channel = new SessionChannel(2, () => undefined);
    const reasons: string[] = [];
    channel.onclose = (event) => reasons.push(event.reason);
    channel.closedBy('the VM stopped');
    expect(reasons).toEqual(['the VM stopped']);
    expect(channel.readyState).toBe(3);
  });
});

describe('typing text into the guest', () => {
  it('presses Shift around what a US keyboard types with Shift, and Return for a new line', () => {
    expect(keyPresses('a>\n')).toEqual([
      { keysym: 0x61, down: true },
      { keysym: 0x61, down: false },
      { keysym: KEYSYM.ShiftLeft, down: true },
      { keysym: 0x3e, down: true },
      { keysym: 0x3e, down: false },
      { keysym: KEYSYM.ShiftLeft, down: false },
      { keysym: KEYSYM.Return, down: true },
      { keysym: KEYSYM.Return, down: false },
    ]);
  });

  it('names what it cannot type, and skips it', () => {
    expect(untypable('ok é ✓ é\r\n')).toEqual(['é', '✓']);
    expect(keyPresses('é')).toEqual([]);
  });
});
