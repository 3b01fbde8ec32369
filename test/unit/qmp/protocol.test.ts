/**
 * The client against a fake QMP peer over a real UNIX socket, for faults real QEMU cannot be
 * made to produce. Everything QEMU can do itself is tested against QEMU in
 * test/integration/qmp/qmp.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpClient, type QmpClientOptions, type QmpTraceDirection } from '../../../extension/core/infrastructure/qmp/client';
import {
  QmpConnectError,
  QmpDeserializationError,
  type QmpError,
  QmpExecuteError,
  QmpInterruptedError,
  QmpNegotiationError,
  QmpOversizedMessageError,
  QmpStateError,
  QmpTimeoutError,
  QmpUnexpectedMessageError,
} from '../../../extension/core/infrastructure/qmp/errors';
import type { QmpRunState } from '../../../extension/core/infrastructure/qmp/run-state';
import { type FakeConnection, FakeQmpPeer, QEMU_GREETING } from './fake-qmp-peer';

let peer: FakeQmpPeer;
const clients: QmpClient[] = [];

beforeEach(async () => {
  peer = await FakeQmpPeer.start();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await peer.stop();
});

function newClient(options: QmpClientOptions = {}): QmpClient {
  const client = new QmpClient(options);
  clients.push(client);
  return client;
}

/** A client connected to the fake, with the fake's side of the connection. */
async function connected(options: QmpClientOptions = {}): Promise<{ client: QmpClient; conn: FakeConnection }> {
  const client = newClient(options);
  const connecting = client.connect(peer.path);
  const conn = await peer.nextConnection();
  await conn.handshake();
  await connecting;
  return { client, conn };
}

/** Resolves when the client reports it is idle again. */
function idle(client: QmpClient): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (client.state === 'idle') resolve();
      else setTimeout(check, 5);
    };
    check();
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('handshake', () => {
  it('reads the greeting, sends qmp_capabilities with an id, and runs; traces both ways', async () => {
    const trace: [QmpTraceDirection, string][] = [];
    const states: QmpRunState[] = [];
    const client = newClient({ onTrace: (d, l) => trace.push([d, l]), onStateChange: (s) => states.push(s) });
    const connecting = client.connect(peer.path);
    expect(client.state).toBe('connecting');
    const conn = await peer.nextConnection();
    conn.write(QEMU_GREETING);
    const negotiation = await conn.nextCommand();
    expect(negotiation.execute).toBe('qmp_capabilities');
    expect(negotiation.arguments).toBeUndefined();
    expect(typeof negotiation.id).toBe('number');
    conn.reply(negotiation);
    const greeting = await connecting;
    expect(greeting).toEqual({ version: { qemu: { major: 7, minor: 2, micro: 5 }, package: 'fake' }, capabilities: ['oob'] });
    expect(client.greeting).toEqual(greeting);
    expect(client.state).toBe('running');
    expect(states).toEqual(['connecting', 'running']);
    expect(trace[0]).toEqual(['recv', QEMU_GREETING.slice(0, -2)]);
    expect(trace[1]?.[0]).toBe('send');
    expect(JSON.parse(trace[1]?.[1] ?? '')).toMatchObject({ execute: 'qmp_capabilities' });
  });

  it('sends each command as its shortest line: QEMU reads QMP input a byte at a time', async () => {
    const trace: string[] = [];
    const client = newClient({ onTrace: (direction, line) => direction === 'send' && trace.push(line) });
    const connecting = client.connect(peer.path);
    const conn = await peer.nextConnection();
    conn.write(QEMU_GREETING);
    conn.reply(await conn.nextCommand());
    await connecting;
    const status = client.execute('query-status');
    conn.reply(await conn.nextCommand(), { status: 'running' });
    await status;
    expect(trace).toEqual(['{"execute":"qmp_capabilities","id":1}', '{"execute":"query-status","id":2}']);
  });

  it('garbage instead of a greeting → QmpNegotiationError caused by a deserialization error', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    (await peer.nextConnection()).write('SSH-2.0-OpenSSH_9.2\r\n');
    const error = (await rejection(connecting)) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.cause).toBeInstanceOf(QmpDeserializationError);
    expect(error.hint).toBeDefined();
    expect(client.state).toBe('idle');
  });

  it('a greeting of the wrong shape → QmpNegotiationError', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    (await peer.nextConnection()).send({ QMP: { version: { qemu: { major: 7 } }, capabilities: [] } });
    expect(await rejection(connecting)).toBeInstanceOf(QmpNegotiationError);
    expect(client.state).toBe('idle');
  });

  it('another message instead of the greeting → QmpNegotiationError', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    (await peer.nextConnection()).send({ return: {} });
    const error = (await rejection(connecting)) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.cause).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('an event ahead of the greeting (as QEMU 7.2 sends after an earlier client) → still connects', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    const conn = await peer.nextConnection();
    conn.event('BLOCK_JOB_READY', { device: 'colo-resync', type: 'mirror' });
    await conn.handshake();
    await connecting;
    expect(client.state).toBe('running');
  });

  it('peer hangs up before the greeting → QmpNegotiationError', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    (await peer.nextConnection()).destroy();
    const error = (await rejection(connecting)) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.message).toContain('before sending the QMP greeting');
  });

  it('no greeting at all → QmpNegotiationError after the connect timeout, hinting at another client', async () => {
    const client = newClient({ connectTimeoutMs: 150 });
    const connecting = client.connect(peer.path);
    await peer.nextConnection();
    const error = (await rejection(connecting)) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.cause).toBeInstanceOf(QmpTimeoutError);
    expect(error.hint).toMatch(/another client/);
    expect(client.state).toBe('idle');
  });

  it('qmp_capabilities refused → QmpNegotiationError with the QMP error class', async () => {
    const client = newClient();
    const connecting = client.connect(peer.path);
    const conn = await peer.nextConnection();
    conn.write(QEMU_GREETING);
    conn.replyError(await conn.nextCommand(), 'CommandNotFound', 'Capabilities negotiation is already complete');
    const error = (await rejection(connecting)) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.errorClass).toBe('CommandNotFound');
  });

  it('can connect again after a failed connect', async () => {
    const client = newClient();
    const first = client.connect(peer.path);
    (await peer.nextConnection()).write('garbage\n');
    await rejection(first);
    const second = client.connect(peer.path);
    await (await peer.nextConnection()).handshake();
    await second;
    expect(client.state).toBe('running');
  });

  it('disconnect() while connecting → connect rejects with QmpInterruptedError', async () => {
    const client = newClient();
    const connecting = rejection(client.connect(peer.path));
    await peer.nextConnection();
    await client.disconnect();
    expect(await connecting).toBeInstanceOf(QmpInterruptedError);
    expect(client.state).toBe('idle');
  });
});

describe('connect errors (no peer)', () => {
  it('missing socket → QmpConnectError ENOENT with a hint', async () => {
    const client = newClient();
    const error = (await rejection(client.connect(join(peer.dir, 'absent.sock')))) as QmpConnectError;
    expect(error).toBeInstanceOf(QmpConnectError);
    expect(error.code).toBe('ENOENT');
    expect(error.message).toContain('absent.sock');
    expect(error.hint).toMatch(/VM running/);
    expect(client.state).toBe('idle');
  });

  it('a path nobody listens on → QmpConnectError ECONNREFUSED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-stale-'));
    try {
      const stale = join(dir, 'stale.sock');
      writeFileSync(stale, '');
      const error = (await rejection(newClient().connect(stale))) as QmpConnectError;
      expect(error).toBeInstanceOf(QmpConnectError);
      expect(error.code).toBe('ECONNREFUSED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an adopted stream that is already closed → QmpConnectError', async () => {
    const stream = new PassThrough();
    stream.destroy();
    const error = (await rejection(newClient().connectStream(stream, { label: 'ssh vm1' }))) as QmpConnectError;
    expect(error).toBeInstanceOf(QmpConnectError);
    expect(error.target).toBe('ssh vm1');
  });

  it('a path too long for a UNIX socket → QmpConnectError, not a truncated path', async () => {
    const error = (await rejection(newClient().connect(`/tmp/${'x'.repeat(200)}.sock`))) as QmpConnectError;
    expect(error).toBeInstanceOf(QmpConnectError);
    expect(error.code).toBe('ENAMETOOLONG');
  });
});

describe('state', () => {
  it('execute, waitForEvent need running; connect needs idle', async () => {
    const client = newClient();
    expect(await rejection(client.execute('query-status'))).toBeInstanceOf(QmpStateError);
    expect(await rejection(client.waitForEvent('STOP'))).toBeInstanceOf(QmpStateError);
    const connecting = client.connect(peer.path);
    expect(await rejection(client.connect(peer.path))).toBeInstanceOf(QmpStateError);
    expect(await rejection(client.execute('query-status'))).toBeInstanceOf(QmpStateError);
    await (await peer.nextConnection()).handshake();
    await connecting;
    expect(await rejection(client.connect(peer.path))).toBeInstanceOf(QmpStateError);
    await client.disconnect();
    await client.disconnect(); // idempotent
    const error = (await rejection(client.execute('query-status'))) as QmpStateError;
    expect(error).toBeInstanceOf(QmpStateError);
    expect(error.state).toBe('idle');
  });

  it('listen is refused while disconnecting', async () => {
    const { client } = await connected();
    const closing = client.disconnect();
    expect(client.state).toBe('disconnecting');
    expect(() => client.listen()).toThrow(QmpStateError);
    await closing;
    expect(client.state).toBe('idle');
  });
});

describe('commands', () => {
  it('10 commands in flight, answered in reverse order, each get their own reply', async () => {
    const { client, conn } = await connected();
    const calls = Array.from({ length: 10 }, (_, i) => client.execute('echo', { n: i }));
    const commands = await conn.nextCommands(10);
    expect(new Set(commands.map((c) => c.id)).size).toBe(10);
    expect(client.pendingCount).toBe(10);
    for (const command of [...commands].reverse()) conn.reply(command, { n: command.arguments?.['n'] ?? null });
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: i })));
    expect(client.pendingCount).toBe(0);
  });

  it('an error reply → QmpExecuteError for that call only, with class, desc, command and args', async () => {
    const { client, conn } = await connected();
    const bad = client.execute('device_del', { id: 'nic9' });
    const good = client.execute('query-status');
    const [badCommand, goodCommand] = await conn.nextCommands(2);
    conn.replyError(badCommand!, 'DeviceNotFound', "Device 'nic9' not found");
    conn.reply(goodCommand!, { status: 'running' });
    const error = (await rejection(bad)) as QmpExecuteError;
    expect(error).toBeInstanceOf(QmpExecuteError);
    expect(error.errorClass).toBe('DeviceNotFound');
    expect(error.desc).toBe("Device 'nic9' not found");
    expect(error.command).toBe('device_del');
    expect(error.args).toEqual({ id: 'nic9' });
    expect(await good).toEqual({ status: 'running' });
  });

  it('no reply → QmpTimeoutError; the connection stays up and the late reply is dropped', async () => {
    const { client, conn } = await connected({ defaultTimeoutMs: 5_000 });
    const slow = client.execute('query-status', undefined, { timeoutMs: 50 });
    const slowCommand = await conn.nextCommand();
    const error = (await rejection(slow)) as QmpTimeoutError;
    expect(error).toBeInstanceOf(QmpTimeoutError);
    expect(error.command).toBe('query-status');
    expect(error.timeoutMs).toBe(50);
    expect(client.state).toBe('running');
    const next = client.execute('query-version');
    const nextCommand = await conn.nextCommand();
    conn.reply(slowCommand, { late: true });
    conn.reply(nextCommand, { on: 'time' });
    expect(await next).toEqual({ on: 'time' });
    expect(client.droppedReplies).toBe(1);
    expect(client.state).toBe('running');
  });

  it('an AbortSignal cancels one call; the connection stays up', async () => {
    const { client, conn } = await connected();
    const controller = new AbortController();
    const call = client.execute('query-status', undefined, { signal: controller.signal });
    const command = await conn.nextCommand();
    controller.abort(new Error('user cancelled'));
    const error = (await rejection(call)) as QmpInterruptedError;
    expect(error).toBeInstanceOf(QmpInterruptedError);
    expect(error.reason).toBe('aborted');
    conn.reply(command);
    expect(await rejection(client.execute('x', undefined, { signal: controller.signal }))).toMatchObject({ reason: 'aborted' });
    const after = client.execute('query-version');
    conn.reply(await conn.nextCommand(), 'ok');
    expect(await after).toBe('ok');
  });

  it('socket closed mid-command → every pending call gets a QmpInterruptedError; listeners end', async () => {
    const disconnects: (QmpError | undefined)[] = [];
    const { client, conn } = await connected({ onDisconnect: (error) => disconnects.push(error) });
    const listener = client.listen();
    const calls = Array.from({ length: 5 }, () => client.execute('query-status'));
    await conn.nextCommands(5);
    conn.destroy();
    const errors = await Promise.all(calls.map(rejection));
    for (const error of errors) {
      expect(error).toBeInstanceOf(QmpInterruptedError);
      expect((error as QmpInterruptedError).reason).toBe('disconnected');
      expect((error as QmpInterruptedError).command).toBe('query-status');
    }
    const seen: string[] = [];
    for await (const event of listener) seen.push(event.event);
    expect(seen).toEqual([]);
    await idle(client);
    expect(disconnects).toHaveLength(1);
    expect(client.pendingCount).toBe(0);
  });

  it('disconnect() with calls pending interrupts them all', async () => {
    const { client, conn } = await connected();
    const calls = [client.execute('a'), client.execute('b')].map(rejection);
    await conn.nextCommands(2);
    await client.disconnect();
    for (const error of await Promise.all(calls)) {
      expect(error).toBeInstanceOf(QmpInterruptedError);
      expect((error as QmpInterruptedError).cause).toBeUndefined();
    }
    expect(client.disconnectError).toBeUndefined();
    await conn.closed;
  });
});

describe('protocol errors close the connection', () => {
  it('garbage bytes → pending calls interrupted, caused by a QmpDeserializationError', async () => {
    const { client, conn } = await connected();
    const call = client.execute('query-status');
    await conn.nextCommand();
    conn.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a]));
    const error = (await rejection(call)) as QmpInterruptedError;
    expect(error).toBeInstanceOf(QmpInterruptedError);
    expect(error.cause).toBeInstanceOf(QmpDeserializationError);
    await idle(client);
    expect(client.disconnectError).toBeInstanceOf(QmpDeserializationError);
    await conn.closed;
  });

  it('a reply just before garbage in the same chunk is still delivered', async () => {
    const { client, conn } = await connected();
    const first = client.execute('a');
    const second = client.execute('b');
    const [a] = await conn.nextCommands(2);
    conn.write(`${JSON.stringify({ return: 1, id: a!.id })}\r\n}}}not json\r\n`);
    expect(await first).toBe(1);
    expect(await rejection(second)).toBeInstanceOf(QmpInterruptedError);
  });

  it('an oversized line → QmpOversizedMessageError, without buffering it all', async () => {
    const { client, conn } = await connected({ maxMessageBytes: 4096 });
    const call = client.execute('query-qmp-schema');
    const command = await conn.nextCommand();
    conn.write(`{"id": ${JSON.stringify(command.id)}, "return": "${'x'.repeat(64 * 1024)}"}\r\n`);
    const error = (await rejection(call)) as QmpInterruptedError;
    expect(error.cause).toBeInstanceOf(QmpOversizedMessageError);
    await idle(client);
    expect(client.disconnectError).toBeInstanceOf(QmpOversizedMessageError);
  });

  it('a message of unknown shape → QmpUnexpectedMessageError', async () => {
    const { client, conn } = await connected();
    const call = client.execute('a');
    await conn.nextCommand();
    conn.send({ hello: 'world' });
    expect(((await rejection(call)) as QmpInterruptedError).cause).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('a second greeting → QmpUnexpectedMessageError', async () => {
    const { client, conn } = await connected();
    conn.write(QEMU_GREETING);
    await idle(client);
    expect(client.disconnectError).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('an error reply without id (QEMU could not parse input) closes the connection', async () => {
    const { client, conn } = await connected();
    const call = client.execute('a');
    await conn.nextCommand();
    conn.send({ error: { class: 'GenericError', desc: 'JSON parse error, invalid keyword' } });
    expect(((await rejection(call)) as QmpInterruptedError).cause).toBeInstanceOf(QmpUnexpectedMessageError);
  });

  it('a malformed reply with a known id fails only that call', async () => {
    const { client, conn } = await connected();
    const bad = client.execute('a');
    const good = client.execute('b');
    const [a, b] = await conn.nextCommands(2);
    conn.send({ id: a!.id, error: 'not an object' });
    conn.reply(b!, 2);
    expect(await rejection(bad)).toBeInstanceOf(QmpUnexpectedMessageError);
    expect(await good).toBe(2);
    expect(client.state).toBe('running');
  });

  it('replies with unknown ids are dropped, not errors', async () => {
    const { client, conn } = await connected();
    conn.send({ return: {}, id: 'never-sent' });
    conn.send({ return: {}, id: 42 });
    conn.send({ error: { class: 'GenericError', desc: 'x' }, id: 'nope' });
    const call = client.execute('a');
    conn.reply(await conn.nextCommand(), 'ok');
    expect(await call).toBe('ok');
    expect(client.droppedReplies).toBe(3);
  });

  it('a throwing trace hook does not break anything', async () => {
    const { client, conn } = await connected({
      onTrace: () => {
        throw new Error('logger broke');
      },
    });
    const call = client.execute('a');
    conn.reply(await conn.nextCommand(), 'ok');
    expect(await call).toBe('ok');
  });
});
