import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../../../extension/core/migration/errors';
import { QmpLink, type QmpLinkOptions } from '../../../extension/core/migration/qmp-link';
import type { QmpEvent } from '../../../extension/core/infrastructure/qmp/messages';

/** A QMP server that answers by itself; `hold` makes it sit on the next command of that name. */
class AutoQmp {
  readonly path: string;
  readonly sockets: Socket[] = [];
  readonly received: string[] = [];
  hold = new Set<string>();
  private readonly server: Server;
  private readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'qmp-link-'));
    this.path = join(this.dir, 'qmp.sock');
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      socket.on('error', () => undefined);
      socket.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n');
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
          const command = JSON.parse(buffer.slice(0, at)) as { execute: string; id: string };
          buffer = buffer.slice(at + 1);
          this.received.push(command.execute);
          if (this.hold.has(command.execute)) continue;
          const value = command.execute === 'query-status' ? { status: 'running', running: true } : {};
          socket.write(`${JSON.stringify({ return: value, id: command.id })}\r\n`);
        }
      });
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  /** Sends an event to every client. */
  event(name: string, data: Record<string, unknown>): void {
    for (const socket of this.sockets) socket.write(`${JSON.stringify({ event: name, data, timestamp: { seconds: 1, microseconds: 0 } })}\r\n`);
  }

  /** Drops every connection (QEMU keeps running, its monitor connection is gone). */
  drop(): void {
    for (const socket of this.sockets.splice(0)) socket.destroy();
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const servers: AutoQmp[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function setup(overrides: Partial<QmpLinkOptions> = {}): Promise<{ qmp: AutoQmp; link: QmpLink; events: QmpEvent[] }> {
  const qmp = new AutoQmp();
  servers.push(qmp);
  await qmp.listen();
  const events: QmpEvent[] = [];
  const link = new QmpLink({
    end: 'destination',
    vmName: 'vm1',
    connect: async (client) => {
      await client.connect(qmp.path);
    },
    isAlive: async () => true,
    phase: () => 'perform',
    events: ['MIGRATION'],
    onEvent: (event) => events.push(event),
    reconnectWindowMs: 1_000,
    ...overrides,
  });
  await link.open();
  return { qmp, link, events };
}

describe('QmpLink', () => {
  it('passes events on and connects again after the connection dropped', async () => {
    const { qmp, link, events } = await setup();
    qmp.event('MIGRATION', { status: 'active' });
    qmp.event('STOP', {});
    await expect(link.execute('query-status')).resolves.toMatchObject({ status: 'running' });
    expect(events.map((e) => [e.event, e.data])).toEqual([['MIGRATION', { status: 'active' }]]);
    qmp.drop();
    await new Promise((r) => setTimeout(r, 50));
    await expect(link.execute('query-status')).resolves.toMatchObject({ status: 'running' });
    expect(link.reconnects).toBe(1);
    qmp.event('MIGRATION', { status: 'completed' });
    await link.execute('query-status');
    expect(events.at(-1)?.data).toEqual({ status: 'completed' });
    await link.close();
  });

  it('sends a query again when the connection dropped before its reply, but never a command with effects', async () => {
    const { qmp, link } = await setup();
    qmp.hold.add('query-migrate');
    const query = link.execute('query-migrate', undefined, { idempotent: true });
    await new Promise((r) => setTimeout(r, 50));
    qmp.hold.clear();
    qmp.drop();
    await expect(query).resolves.toEqual({});
    expect(qmp.received.filter((c) => c === 'query-migrate')).toHaveLength(2);

    qmp.hold.add('migrate');
    const migrate = link.execute('migrate', { uri: 'tcp:127.0.0.1:1' });
    await new Promise((r) => setTimeout(r, 50));
    qmp.drop();
    await expect(migrate).rejects.toThrow(/got no reply/);
    expect(qmp.received.filter((c) => c === 'migrate')).toHaveLength(1);
    await link.close();
  });

  it('says the QEMU is gone when it died, and gives up after its window when it cannot connect', async () => {
    let alive = true;
    const { qmp, link } = await setup({ isAlive: async () => alive });
    alive = false;
    qmp.drop();
    await new Promise((r) => setTimeout(r, 50));
    const gone = await link.execute('query-status').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MigrationError);
    expect((gone as MigrationError).message).toBe('The destination QEMU of VM "vm1" is gone.');
    expect((gone as MigrationError).phase).toBe('perform');

    alive = true;
    await qmp.close();
    const started = Date.now();
    const unreachable = await link.execute('query-status').catch((e: unknown) => e);
    expect((unreachable as Error).message).toMatch(/could not connect again/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
