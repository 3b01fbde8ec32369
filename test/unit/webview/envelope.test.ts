import { describe, expect, it } from 'vitest';
import { isNumber, objectOf, oneOf } from '../../../webview/shared/guards';
import { MessageHandler, dispatch, extensionEndpoint, isLogMessage, isReadyMessage, messageCheck, webviewEndpoint, type MessageHandlers, type PanelProtocol } from '../../../webview/shared/protocol';

type Ping = { readonly type: 'ping'; readonly n: number } | { readonly type: 'stop' };
type Pong = { readonly type: 'pong'; readonly n: number } | { readonly type: 'ready' } | { readonly type: 'log'; readonly level: 'warn' | 'error'; readonly message: string };

const isPing = messageCheck<Ping>({
  ping: objectOf({ type: oneOf('ping'), n: isNumber }),
  stop: objectOf({ type: oneOf('stop') }),
});
const isPong = messageCheck<Pong>({
  pong: objectOf({ type: oneOf('pong'), n: isNumber }),
  ready: isReadyMessage,
  log: isLogMessage,
});
const protocol: PanelProtocol<Ping, Pong> = { isToWebview: isPing, isFromWebview: isPong };

describe('messageCheck', () => {
  it('lets the type pick the check of its member', () => {
    expect(isPing({ type: 'ping', n: 1 })).toBe(true);
    expect(isPing({ type: 'stop' })).toBe(true);
    expect(isPing({ type: 'ping', n: '1' })).toBe(false);
    expect(isPing({ type: 'stop', n: 'ignored' })).toBe(true);
  });

  it.each([
    ['an unknown type', { type: 'pong', n: 1 }],
    ['a key every object inherits', { type: 'constructor' }],
    ['a key of Object.prototype', { type: 'hasOwnProperty' }],
    ['no type', { n: 1 }],
    ['a type that is not a string', { type: 1 }],
    ['null', null],
    ['an array', [{ type: 'stop' }]],
    ['a string', 'stop'],
  ])('refuses %s', (_what, value) => {
    expect(isPing(value)).toBe(false);
  });
});

describe('the messages every panel has', () => {
  it('checks ready and log', () => {
    expect(isReadyMessage({ type: 'ready' })).toBe(true);
    expect(isReadyMessage({ type: 'log' })).toBe(false);
    expect(isLogMessage({ type: 'log', level: 'error', message: 'x' })).toBe(true);
    expect(isLogMessage({ type: 'log', level: 'info', message: 'x' })).toBe(false);
    expect(isLogMessage({ type: 'log', level: 'warn', message: 'x'.repeat(10_001) })).toBe(false);
  });
});

describe('dispatch', () => {
  it('hands each message to the handler of its type only, and returns what it returns', async () => {
    const seen: string[] = [];
    const handle = dispatch<Ping>({
      ping: (message) => void seen.push(`ping ${message.n}`),
      stop: async () => {
        await Promise.resolve();
        seen.push('stop');
      },
    });
    expect(handle({ type: 'ping', n: 2 })).toBeUndefined();
    await handle({ type: 'stop' });
    expect(seen).toEqual(['ping 2', 'stop']);
  });

  it('refuses a message of no handled type (it did not pass the union\'s check)', () => {
    const handle = dispatch<Ping>({ ping: () => undefined, stop: () => undefined });
    expect(() => handle(JSON.parse('{"type":"toString"}') as Ping)).toThrow('no handler for a "toString" message');
  });

  it('does not compile without a handler for every type', () => {
    // @ts-expect-error `stop` has no handler
    const partial: MessageHandlers<Ping> = { ping: () => undefined };
    expect(Object.keys(partial)).toEqual(['ping']);
  });
});

describe('a panel protocol\'s two endpoints', () => {
  it('each checks its own direction and dispatches through a handler table', async () => {
    const atExtension: number[] = [];
    const atWebview: number[] = [];
    const problems: string[] = [];
    const extension: MessageHandler<Pong, Ping> = extensionEndpoint(
      protocol,
      dispatch<Pong>({ pong: (m) => void atExtension.push(m.n), ready: () => undefined, log: (m) => void problems.push(m.message) }),
      // The webview's end is made below; nothing is posted before it exists.
      (message): Promise<void> => webview.receive(JSON.parse(JSON.stringify(message))),
      (problem) => problems.push(`extension: ${problem}`),
    );
    const webview: MessageHandler<Ping, Pong> = webviewEndpoint(
      protocol,
      dispatch<Ping>({ ping: (m) => void (atWebview.push(m.n), webview.post({ type: 'pong', n: m.n * 10 })), stop: () => undefined }),
      (message): Promise<void> => extension.receive(JSON.parse(JSON.stringify(message))),
      (problem) => problems.push(`webview: ${problem}`),
    );
    extension.post({ type: 'ping', n: 4 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await extension.receive({ type: 'ping', n: 5 });
    await webview.receive({ type: 'pong', n: 6 });
    expect(atWebview).toEqual([4]);
    expect(atExtension).toEqual([40]);
    expect(problems).toEqual(['extension: ignored a malformed message: a "ping" message with keys type, n', 'webview: ignored a malformed message: a "pong" message with keys type, n']);
  });
});
