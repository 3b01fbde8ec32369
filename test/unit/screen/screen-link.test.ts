/**
 * The extension's end of a screen panel, against a real UNIX socket server standing in for
 * QEMU's VNC server (the bytes are opaque to the relay): sessions, dropped stale bytes, closing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { MAX_SCREEN_CHUNK, ScreenRelay, screenChunks } from '../../../extension/core/machines/screen/screen-relay';
import { runFilesIn } from '../../../extension/core/machines/vm/run-dir';
import { ScreenLink } from '../../../extension/presentation/panels/screen/screen-link';
import type { ToScreenWebview } from '../../../webview/screen/protocol';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-screen-'));
const record = { vmName: 'vm1', files: runFilesIn(dir, { vnc: true }) };
const local = new LocalHostSystem();
let server: Server;
const accepted: Socket[] = [];
const received: Buffer[] = [];

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  server = createServer((socket) => {
    accepted.push(socket);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined); // A client that went away resets the connection.
    socket.write('RFB 003.008\n');
  });
  await new Promise<void>((resolve) => server.listen(record.files.vncSocket, resolve));
});

afterEach(() => {
  for (const socket of accepted.splice(0)) socket.destroy();
  received.length = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function link(): { link: ScreenLink; posted: ToScreenWebview[] } {
  const posted: ToScreenWebview[] = [];
  return { posted, link: new ScreenLink({ open: () => ScreenRelay.open(local, record), post: (message) => posted.push(message) }) };
}

const text = (message: ToScreenWebview | undefined): string => (message?.type === 'data' ? Buffer.from(message.bytes).toString('latin1') : '');

describe('ScreenLink', () => {
  it('opens session 1, then hands on what the server sends as data of that session', async () => {
    const { link: screen, posted } = link();
    await screen.connect();
    expect(posted[0]).toEqual({ type: 'opened', session: 1 });
    await until('the greeting', () => posted.length >= 2);
    expect(posted[1]).toMatchObject({ type: 'data', session: 1 });
    expect(text(posted[1])).toBe('RFB 003.008\n');
    screen.dispose();
  });

  it('writes the bytes of the current session, and drops those of any other', async () => {
    const { link: screen } = link();
    await screen.connect();
    expect(screen.send(2, Buffer.from('stale'))).toBe(false);
    expect(screen.send(0, Buffer.from('made up'))).toBe(false);
    expect(screen.send(1, Buffer.from('RFB 003.008\n'))).toBe(true);
    await until('the reply', () => Buffer.concat(received).length >= 12);
    expect(Buffer.concat(received).toString('latin1')).toBe('RFB 003.008\n');
    screen.dispose();
  });

  it('reconnecting closes the old connection: its late bytes are not posted, the new session is 2', async () => {
    const { link: screen, posted } = link();
    await screen.connect();
    await until('the first connection', () => accepted.length === 1);
    await screen.connect();
    expect(posted.filter((m) => m.type === 'opened')).toEqual([
      { type: 'opened', session: 1 },
      { type: 'opened', session: 2 },
    ]);
    await until('the old connection closed', () => accepted[0]?.destroyed === true || accepted[0]?.readableEnded === true);
    accepted[1]?.write('new');
    await until('the new bytes', () => posted.some((m) => m.type === 'data' && m.session === 2 && text(m).includes('new')));
    expect(posted.filter((m) => m.type === 'closed')).toEqual([]); // Closing it ourselves is no news for the webview.
    screen.dispose();
  });

  it('says why when the VM closes its screen', async () => {
    const { link: screen, posted } = link();
    await screen.connect();
    await until('the connection', () => accepted.length === 1);
    accepted[0]?.destroy();
    await until('closed', () => posted.some((m) => m.type === 'closed'));
    expect(posted.at(-1)).toEqual({ type: 'closed', session: 1, reason: 'the VM closed its screen (it stopped, or reset its display)' });
    expect(screen.send(1, Buffer.from('x'))).toBe(false);
  });

  it('says why when the screen cannot be opened, as a closed session', async () => {
    const posted: ToScreenWebview[] = [];
    const gone = { vmName: 'vm1', files: runFilesIn(join(dir, 'gone'), { vnc: true }) };
    const screen = new ScreenLink({ open: () => ScreenRelay.open(local, gone), post: (message) => posted.push(message) });
    await screen.connect();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'closed', session: 1, reason: expect.stringMatching(/^Could not open the screen of vm1 on host "local" \(ENOENT\)\.\n {2}Is the VM running\?/) });
  });

  it('closes the connection when disposed, and connects no more', async () => {
    const { link: screen, posted } = link();
    await screen.connect();
    await until('the connection', () => accepted.length === 1);
    screen.dispose();
    await until('closed at the server', () => accepted[0]?.readableEnded === true || accepted[0]?.destroyed === true);
    await screen.connect();
    expect(posted.filter((m) => m.type === 'opened')).toHaveLength(1);
  });
});

describe('screenChunks', () => {
  it('copies a buffer into pieces of at most the largest message', () => {
    const buffer = Buffer.alloc(MAX_SCREEN_CHUNK * 2 + 5, 7);
    const chunks = screenChunks(buffer);
    expect(chunks.map((c) => c.byteLength)).toEqual([MAX_SCREEN_CHUNK, MAX_SCREEN_CHUNK, 5]);
    buffer.fill(0);
    expect(chunks[2]?.[0]).toBe(7); // copies: the socket's pooled buffer may be reused
    expect(chunks.every((c) => !Buffer.isBuffer(c))).toBe(true); // plain arrays, as a webview message carries them
  });

  it('gives nothing for nothing', () => {
    expect(screenChunks(new Uint8Array(0))).toEqual([]);
  });
});
