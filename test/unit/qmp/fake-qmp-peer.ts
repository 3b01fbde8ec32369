/**
 * A scriptable fake QMP server on a real UNIX socket in a temp dir, for the faults real QEMU
 * cannot be made to produce (garbage, bad greetings, out-of-order replies, silence, …).
 * It never answers by itself: each test says what it sends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A command as the fake received it. */
export interface ReceivedCommand {
  readonly execute: string;
  readonly arguments?: Record<string, unknown>;
  readonly id?: unknown;
}

/** QEMU 7.2's greeting, as it sends it. */
export const QEMU_GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 5, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": ["oob"]}}\r\n';

/** One accepted connection. */
export class FakeConnection {
  private buffer = '';
  private readonly commands: ReceivedCommand[] = [];
  private readonly waiters: ((command: ReceivedCommand) => void)[] = [];
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.trim() === '') continue;
        const command = JSON.parse(line) as ReceivedCommand;
        const waiter = this.waiters.shift();
        if (waiter !== undefined) waiter(command);
        else this.commands.push(command);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** The next command the client sends. */
  nextCommand(): Promise<ReceivedCommand> {
    const queued = this.commands.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next `count` commands. */
  async nextCommands(count: number): Promise<ReceivedCommand[]> {
    const all: ReceivedCommand[] = [];
    for (let i = 0; i < count; i += 1) all.push(await this.nextCommand());
    return all;
  }

  /** Sends raw text or bytes, as is. */
  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Sends one JSON message, QEMU-style with `\r\n`. */
  send(message: unknown): void {
    this.socket.write(`${JSON.stringify(message)}\r\n`);
  }

  reply(command: ReceivedCommand, value: unknown = {}): void {
    this.send({ return: value, id: command.id });
  }

  replyError(command: ReceivedCommand, errorClass: string, desc: string): void {
    this.send({ id: command.id, error: { class: errorClass, desc } });
  }

  event(name: string, data?: Record<string, unknown>): void {
    this.send({ timestamp: { seconds: 1, microseconds: 2 }, event: name, ...(data === undefined ? {} : { data }) });
  }

  /** Greets and answers qmp_capabilities, as QEMU does. */
  async handshake(): Promise<void> {
    this.write(QEMU_GREETING);
    const negotiation = await this.nextCommand();
    if (negotiation.execute !== 'qmp_capabilities') throw new Error(`expected qmp_capabilities, got ${negotiation.execute}`);
    this.reply(negotiation);
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** A fake QMP server. */
export class FakeQmpPeer {
  private readonly connections: FakeConnection[] = [];
  private readonly waiters: ((connection: FakeConnection) => void)[] = [];
  private readonly all: FakeConnection[] = [];

  private constructor(
    private readonly server: Server,
    readonly dir: string,
    readonly path: string,
  ) {
    server.on('connection', (socket) => {
      const connection = new FakeConnection(socket);
      this.all.push(connection);
      const waiter = this.waiters.shift();
      if (waiter !== undefined) waiter(connection);
      else this.connections.push(connection);
    });
  }

  /** Starts a fake server on `<new temp dir>/qmp.sock`. */
  static async start(): Promise<FakeQmpPeer> {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-fake-'));
    const path = join(dir, 'qmp.sock');
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return new FakeQmpPeer(server, dir, path);
  }

  /** The next connection accepted. */
  nextConnection(): Promise<FakeConnection> {
    const queued = this.connections.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Closes every connection and the server, removes the temp dir. */
  async stop(): Promise<void> {
    for (const connection of this.all) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
