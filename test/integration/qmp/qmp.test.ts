/**
 * The QMP client against real QEMU (`-machine none`: no guest, just the monitor).
 * Faults QEMU cannot produce (garbage, bad greetings, …) are in test/unit/qmp/protocol.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QmpClient, type QmpClientOptions } from '../../../extension/core/infrastructure/qmp/client';
import {
  QmpConnectError,
  type QmpError,
  QmpExecuteError,
  QmpInterruptedError,
  QmpNegotiationError,
  QmpStateError,
} from '../../../extension/core/infrastructure/qmp/errors';
import type { QmpEvent } from '../../../extension/core/infrastructure/qmp/messages';

const QEMU = 'qemu-system-x86_64';

interface Qemu {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly socket: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string;
}

const started: Qemu[] = [];
const clients: QmpClient[] = [];

function testRoot(): string {
  const root = process.env.QEMU_LAB_TEST_ROOT;
  if (root === undefined) throw new Error('QEMU_LAB_TEST_ROOT is not set: run with the integration project (its globalSetup sets it)');
  return root;
}

/** Starts `qemu-system-x86_64 -machine none` with a QMP socket under the test root. */
function startQemu(): Qemu {
  const dir = mkdtempSync(join(testRoot(), 'qmp-'));
  const socket = join(dir, 'qmp.sock');
  const child = spawn(
    QEMU,
    [
      '-machine', 'none',
      '-nodefaults',
      '-display', 'none',
      '-qmp', `unix:${socket},server=on,wait=off`,
      '-pidfile', join(dir, 'qemu.pid'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const qemu: Qemu = {
    child,
    dir,
    socket,
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    qemu.stderr += text;
  });
  started.push(qemu);
  return qemu;
}

function newClient(options: QmpClientOptions = {}): QmpClient {
  const client = new QmpClient(options);
  clients.push(client);
  return client;
}

/** Connects as soon as QEMU has created its socket (retrying only "not there yet"). */
async function connectTo(qemu: Qemu, client: QmpClient): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await client.connect(qemu.socket);
      return;
    } catch (error) {
      const notYet = error instanceof QmpConnectError && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED');
      if (!notYet || Date.now() > deadline) throw new Error(`cannot connect to QEMU (stderr: ${qemu.stderr})`, { cause: error });
      if (qemu.child.exitCode !== null) throw new Error(`QEMU exited: ${qemu.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function startConnected(options: QmpClientOptions = {}): Promise<{ qemu: Qemu; client: QmpClient }> {
  const qemu = startQemu();
  const client = newClient(options);
  await connectTo(qemu, client);
  return { qemu, client };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  await Promise.all(clients.map((client) => client.disconnect()));
  for (const qemu of started) {
    if (qemu.child.exitCode === null && qemu.child.signalCode === null) qemu.child.kill('SIGKILL');
  }
  await Promise.all(started.map((qemu) => qemu.exited));
});

describe('QMP against real QEMU', () => {
  it('greets with the installed QEMU version; query-status and query-version answer', async () => {
    const { client } = await startConnected();
    const printed = execFileSync(QEMU, ['--version'], { encoding: 'utf8' });
    const match = /version (\d+)\.(\d+)\.(\d+)/.exec(printed);
    expect(match).not.toBeNull();
    const [major, minor, micro] = (match ?? []).slice(1).map(Number);
    expect(client.greeting?.version.qemu).toEqual({ major, minor, micro });
    expect(client.greeting?.capabilities).toContain('oob');

    const status = await client.execute<{ status: string; running: boolean }>('query-status');
    expect(status.running).toBe(true);
    expect(status.status).toBe('running');
    const version = await client.execute<{ qemu: { major: number; minor: number; micro: number } }>('query-version');
    expect(version.qemu).toEqual(client.greeting?.version.qemu);
  });

  it('runs many commands concurrently', async () => {
    const { client } = await startConnected();
    const calls = Array.from({ length: 25 }, (_, i) => client.execute(i % 2 === 0 ? 'query-status' : 'query-version'));
    expect(client.pendingCount).toBe(25);
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      expect(result).toHaveProperty(i % 2 === 0 ? 'status' : 'qemu');
    });
    expect(client.pendingCount).toBe(0);
  });

  it('an unknown command → QmpExecuteError CommandNotFound; a bad argument → GenericError; the connection stays up', async () => {
    const { client } = await startConnected();
    const unknown = (await rejection(client.execute('no-such-command', { x: 1 }))) as QmpExecuteError;
    expect(unknown).toBeInstanceOf(QmpExecuteError);
    expect(unknown.errorClass).toBe('CommandNotFound');
    expect(unknown.command).toBe('no-such-command');
    expect(unknown.args).toEqual({ x: 1 });
    expect(unknown.hint).toContain('query-commands');
    const badArgument = (await rejection(client.execute('query-status', { bogus: true }))) as QmpExecuteError;
    expect(badArgument).toBeInstanceOf(QmpExecuteError);
    expect(badArgument.errorClass).toBe('GenericError');
    expect(await client.execute('query-status')).toHaveProperty('status');
  });

  it('stop/cont → STOP/RESUME reach a listener created before the command', async () => {
    const { client } = await startConnected();
    const listener = client.listen(['STOP', 'RESUME']);
    const everything = client.listen();
    await client.execute('stop');
    expect((await client.execute<{ status: string }>('query-status')).status).toBe('paused');
    await client.execute('cont');
    expect((await listener.next(5_000)).event).toBe('STOP');
    const resume = await listener.next(5_000);
    expect(resume.event).toBe('RESUME');
    expect(resume.timestamp.seconds).toBeGreaterThan(0);
    expect(everything.size).toBe(2);
    listener.dispose();
    everything.dispose();

    const stopped = client.waitForEvent('STOP', undefined, 5_000);
    await client.execute('stop');
    expect((await stopped).event).toBe('STOP');
  });

  it('adopts an already-connected stream', async () => {
    const qemu = startQemu();
    const probe = newClient();
    await connectTo(qemu, probe); // waits for the socket, then frees the monitor for the stream
    await probe.disconnect();
    const socket = netConnect({ path: qemu.socket });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const traced: string[] = [];
    const client = newClient({ onTrace: (direction, line) => traced.push(`${direction} ${line}`) });
    const greeting = await client.connectStream(socket, { label: 'forwarded socket' });
    expect(greeting.version.qemu.major).toBeGreaterThan(0);
    expect(await client.execute('query-status')).toHaveProperty('status');
    expect(traced.some((line) => line.startsWith('send {"execute":"query-status"'))).toBe(true);
    expect(traced.some((line) => line.startsWith('recv {"return"'))).toBe(true);
    await client.disconnect();
    expect(socket.destroyed).toBe(true);
  });

  it('a second client gets no greeting while the first is connected', async () => {
    const { qemu } = await startConnected();
    const second = newClient({ connectTimeoutMs: 500 });
    const error = (await rejection(second.connect(qemu.socket))) as QmpNegotiationError;
    expect(error).toBeInstanceOf(QmpNegotiationError);
    expect(error.hint).toMatch(/another client/);
    expect(second.state).toBe('idle');
  });

  it('quit → SHUTDOWN event (when QEMU flushes it), pending calls interrupted, clean disconnect', async () => {
    let onDisconnect: (error: QmpError | undefined) => void = () => {};
    const disconnected = new Promise<QmpError | undefined>((resolve) => {
      onDisconnect = resolve;
    });
    const traffic: string[] = [];
    const { qemu, client } = await startConnected({ onDisconnect: (error) => onDisconnect(error), onTrace: (direction, line) => traffic.push(`${direction} ${line}`) });
    const listener = client.listen(['SHUTDOWN']);
    const quit = client.execute('quit').then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const after = rejection(client.execute('query-status'));

    const events: QmpEvent[] = [];
    for await (const event of listener) events.push(event); // ends when the connection does
    // QEMU 7.2 may exit before flushing what it wrote after `quit` (seen here about once in ten
    // runs: neither quit's reply nor SHUTDOWN arrived, the socket just closed). So the event is
    // not promised; when it comes, it is the one. (stop/cont shows events reaching listeners.)
    expect(events.length <= 1, `QMP traffic:\n${traffic.join('\n')}`).toBe(true);
    if (events.length === 1) {
      expect(events[0]?.event).toBe('SHUTDOWN');
      expect(events[0]?.data['reason']).toBe('host-qmp-quit');
    }

    const quitOutcome = await quit;
    if ('error' in quitOutcome) expect(quitOutcome.error).toBeInstanceOf(QmpInterruptedError);
    else expect(quitOutcome.value).toEqual({});
    const afterError = (await after) as QmpInterruptedError;
    expect(afterError).toBeInstanceOf(QmpInterruptedError);
    expect(afterError.reason).toBe('disconnected');

    await disconnected;
    expect(client.state).toBe('idle');
    expect(await rejection(client.execute('query-status'))).toBeInstanceOf(QmpStateError);
    expect(await qemu.exited).toEqual({ code: 0, signal: null });
  });

  it('QEMU killed with SIGKILL mid-command → QmpInterruptedError, no hang; then the stale socket refuses', async () => {
    const { qemu, client } = await startConnected();
    const pid = qemu.child.pid;
    if (pid === undefined) throw new Error('no pid');
    process.kill(pid, 'SIGSTOP'); // frozen: the command below cannot be answered
    const call = rejection(client.execute('query-status', undefined, { timeoutMs: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.pendingCount).toBe(1);
    process.kill(pid, 'SIGKILL');
    const error = (await call) as QmpInterruptedError;
    expect(error).toBeInstanceOf(QmpInterruptedError);
    expect(error.reason).toBe('disconnected');
    expect((await qemu.exited).signal).toBe('SIGKILL');
    await client.disconnect();
    expect(client.state).toBe('idle');

    expect(existsSync(qemu.socket)).toBe(true);
    const stale = (await rejection(newClient().connect(qemu.socket))) as QmpConnectError;
    expect(stale).toBeInstanceOf(QmpConnectError);
    expect(stale.code).toBe('ECONNREFUSED');
  });
});
