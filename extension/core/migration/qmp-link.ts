/**
 * A QMP connection to one end of a migration that survives the connection dropping: a closed
 * QMP socket or a cut SSH channel does not stop QEMU, nor the migration, so the link connects
 * again (for as long as the QEMU process lives) and carries on. Events that arrive while it is
 * down are lost; the orchestrator polls `query-migrate` as well, so nothing depends on them.
 */
import { QmpClient } from '../infrastructure/qmp/client';
import { QmpInterruptedError } from '../infrastructure/qmp/errors';
import type { QmpEvent, QmpValue } from '../infrastructure/qmp/messages';
import { MigrationError } from './errors';
import type { MigrationPhase } from './phases';
import { sleep } from '../infrastructure/support/sleep';

/** Which end of the migration. */
export type MigrationEnd = 'source' | 'destination';

/** Options of a {@link QmpLink}. */
export interface QmpLinkOptions {
  readonly end: MigrationEnd;
  /** The VM's name, for messages. */
  readonly vmName: string;
  /** Connects a fresh client to the QEMU's command monitor (locally or over SSH). */
  readonly connect: (client: QmpClient) => Promise<void>;
  /** Whether the QEMU process still lives (a dead one is not reconnected to). */
  readonly isAlive: () => Promise<boolean>;
  /** The phase now, for errors. */
  readonly phase: () => MigrationPhase;
  /** Events to pass on, as they come. */
  readonly events?: readonly string[];
  readonly onEvent?: (event: QmpEvent) => void;
  /** Sees every client once connected (tests use it to inject faults). */
  readonly onConnected?: (client: QmpClient) => void;
  /** How long to keep trying to connect again. Default 15 s. */
  readonly reconnectWindowMs?: number;
  /** Per-command timeout. Default 15 s. */
  readonly commandTimeoutMs?: number;
}

/** Options of one {@link QmpLink.execute}. */
export interface LinkExecuteOptions {
  /** Safe to send again when the connection dropped before its reply (queries). Default false. */
  readonly idempotent?: boolean;
  readonly timeoutMs?: number;
}

/** A reconnecting QMP connection to one end of a migration. */
export class QmpLink {
  private client: QmpClient | undefined;
  private connecting: Promise<QmpClient> | undefined;
  private closed = false;
  private reconnectCount = 0;

  constructor(private readonly options: QmpLinkOptions) {}

  /** How many times the link had to connect again. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Connects the first time (fails at once if that does not work). */
  async open(): Promise<void> {
    await this.connectOnce();
  }

  /** Runs a command, connecting again first if the connection dropped. */
  async execute<T = QmpValue>(command: string, args?: Record<string, QmpValue>, options: LinkExecuteOptions = {}): Promise<T> {
    const client = await this.ready();
    try {
      return await client.execute<T>(command, args, { timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs ?? 15_000 });
    } catch (error) {
      if (!(error instanceof QmpInterruptedError) || error.reason !== 'disconnected' || !options.idempotent || this.closed) throw error;
      const again = await this.ready();
      return again.execute<T>(command, args, { timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs ?? 15_000 });
    }
  }

  /** Closes the connection for good. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.disconnect();
  }

  private async ready(): Promise<QmpClient> {
    if (this.closed) throw new MigrationError(`The QMP link to the ${this.options.end} was closed.`, { phase: this.options.phase() });
    const client = this.client;
    if (client !== undefined && client.state === 'running') return client;
    this.connecting ??= this.reconnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async reconnect(): Promise<QmpClient> {
    const deadline = Date.now() + (this.options.reconnectWindowMs ?? 15_000);
    let last: unknown;
    while (!this.closed) {
      if (!(await this.options.isAlive())) {
        throw new MigrationError(`The ${this.options.end} QEMU of VM "${this.options.vmName}" is gone.`, {
          phase: this.options.phase(),
          hint: `Its output (qemu.stderr.log in its run directory) may say why.`,
          cause: last,
        });
      }
      try {
        const client = await this.connectOnce();
        this.reconnectCount += 1;
        return client;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) break;
      await sleep(250);
    }
    throw new MigrationError(`Lost the QMP connection to the ${this.options.end} QEMU of VM "${this.options.vmName}" and could not connect again.`, {
      phase: this.options.phase(),
      hint: 'Its QMP socket no longer answers; the host may be unreachable.',
      cause: last,
    });
  }

  private async connectOnce(): Promise<QmpClient> {
    const client = new QmpClient({ name: `${this.options.vmName} (${this.options.end})`, defaultTimeoutMs: this.options.commandTimeoutMs ?? 15_000 });
    const events = this.options.events ?? [];
    const listener = events.length > 0 ? client.listen(events) : undefined;
    try {
      await this.options.connect(client);
    } catch (error) {
      listener?.dispose();
      throw error;
    }
    this.client = client;
    if (listener !== undefined) {
      void (async () => {
        for await (const event of listener) this.options.onEvent?.(event);
      })();
    }
    this.options.onConnected?.(client);
    return client;
  }
}
