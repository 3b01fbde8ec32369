/**
 * The QMP client, after QEMU's `qemu.qmp.QMPClient`: connect (or adopt a stream), read the
 * greeting, negotiate capabilities, then run commands concurrently and hand out events.
 * The connection's lifecycle (stream, run state, timeouts, teardown) is `protocol.ts`.
 *
 * ```ts
 * const qmp = new QmpClient({ name: 'vm1' });
 * await qmp.connect('/run/vm1/qmp.sock');
 * const stopped = qmp.listen(['STOP']);          // subscribe before causing the event
 * await qmp.execute('stop');
 * await stopped.next(5_000);
 * stopped.dispose();
 * const status = await qmp.execute<{ status: string }>('query-status');
 * await qmp.disconnect();
 * ```
 */
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  MAX_UNIX_SOCKET_PATH_BYTES,
  type QmpClientOptions,
  type QmpConnectOptions,
  type QmpExecuteOptions,
} from './client-options';
import {
  QmpConnectError,
  type QmpError,
  QmpInterruptedError,
  QmpProtocolError,
  QmpUnexpectedMessageError,
} from './errors';
import { type QmpEventFilter, QmpEventListener } from './events';
import {
  buildCommand,
  classifyMessage,
  excerptOf,
  type QmpEvent,
  type QmpGreeting,
  type QmpIncoming,
  type QmpObject,
  type QmpValue,
  serializeCommand,
} from './messages';
import { negotiationStep, readGreeting } from './handshake';
import { PendingCalls } from './pending-calls';
import { QmpProtocol, type QmpPhase, type QmpSession, type QmpTraceDirection } from './protocol';
import { requireRunState } from './run-state';

export type { QmpClientOptions, QmpConnectOptions, QmpExecuteOptions, QmpTraceDirection };

/**
 * A QMP client for one QEMU monitor.
 *
 * - **State**: see `run-state.ts`. `execute` and `waitForEvent` need `running`; `connect` needs
 *   `idle`; calls in the wrong state throw (reject with) a `QmpStateError`. After a connection
 *   ends the client is `idle` and may connect again.
 * - **Commands** each get a unique id; any number may be in flight and replies are matched by
 *   id. A timeout or abort fails only that call: the connection stays up and the late reply is
 *   dropped. QEMU runs commands one at a time, so a slow command delays those behind it.
 * - **Disconnect** (disconnect(), QEMU closing or crashing, a socket error, a protocol error):
 *   every pending call rejects with its own `QmpInterruptedError` whose `cause` is the error
 *   that ended the connection (none for a clean close), every listener ends, and
 *   {@link disconnectError} tells why. Nothing waits forever.
 * - **Protocol errors** (garbage, unexpected messages, oversized lines) close the connection.
 */
export class QmpClient extends QmpProtocol {
  private readonly pending = new PendingCalls();
  private readonly listeners = new Set<QmpEventListener>();
  private idCounter = 0;
  private greetingValue: QmpGreeting | undefined;
  private negotiationId = 0;
  private dropped = 0;
  private readonly name: string | undefined;
  private readonly defaultTimeoutMs: number;

  constructor(options: QmpClientOptions = {}) {
    super({
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      maxMessageBytes: options.maxMessageBytes,
      onTrace: options.onTrace,
      onStateChange: options.onStateChange,
      onDisconnect: options.onDisconnect,
    });
    this.name = options.name;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** The greeting of the current (or last) connection; undefined before the first greeting. */
  get greeting(): QmpGreeting | undefined {
    return this.greetingValue;
  }

  /** Commands sent and not yet answered, timed out or aborted. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Replies dropped because no call waited for their id (late replies after a timeout or abort). */
  get droppedReplies(): number {
    return this.dropped;
  }

  /**
   * Connects to QEMU's QMP UNIX socket, reads the greeting and negotiates capabilities.
   *
   * @returns the greeting (also in {@link greeting}).
   * @throws QmpStateError unless idle.
   * @throws QmpConnectError when the socket is missing, refused, or the path is too long.
   * @throws QmpNegotiationError when the peer does not greet like QMP or refuses `qmp_capabilities`
   *   (also when no greeting comes in time, e.g. another client holds the monitor).
   * @throws QmpInterruptedError when disconnect() is called meanwhile.
   */
  connect(path: string, options?: QmpConnectOptions): Promise<QmpGreeting> {
    try {
      requireRunState(this.state, ['idle'], `connect to ${path}`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (Buffer.byteLength(path) > MAX_UNIX_SOCKET_PATH_BYTES) {
      return Promise.reject(
        new QmpConnectError(`The QMP socket path is too long (${Buffer.byteLength(path)} bytes): ${path}`, {
          target: path,
          code: 'ENAMETOOLONG',
          hint: `UNIX socket paths are limited to ${MAX_UNIX_SOCKET_PATH_BYTES} bytes; use a shorter state directory.`,
        }),
      );
    }
    return this.open(netConnect({ path }), path, 'opening', options?.timeoutMs);
  }

  /**
   * Like {@link connect}, over a stream that is already connected to a QMP server (e.g. an
   * SSH-forwarded UNIX socket). The client owns the stream from now on and destroys it when
   * the connection ends.
   *
   * @param options.label names the other end in messages (default `stream`).
   */
  connectStream(stream: Duplex, options?: QmpConnectOptions & { readonly label?: string }): Promise<QmpGreeting> {
    const label = options?.label ?? 'stream';
    try {
      requireRunState(this.state, ['idle'], `connect to ${label}`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (stream.destroyed) {
      return Promise.reject(
        new QmpConnectError(`The QMP stream ${label} is already closed`, {
          target: label,
          hint: 'Open a new stream (e.g. a new SSH channel) and connect again.',
        }),
      );
    }
    return this.open(stream, label, 'greeting', options?.timeoutMs);
  }

  /**
   * Runs one QMP command and resolves with its `return` value.
   *
   * @typeParam T what the caller knows the command returns; not checked at run time.
   * @throws QmpStateError unless running.
   * @throws QmpExecuteError when QEMU answers with an error (`errorClass`, `desc`).
   * @throws QmpTimeoutError when no reply comes within the timeout (the connection stays up).
   * @throws QmpInterruptedError when the connection ends first, or `signal` aborts.
   * @throws QmpUnexpectedMessageError when the reply for this id is malformed.
   */
  execute<T = QmpValue>(command: string, args?: Record<string, QmpValue>, options?: QmpExecuteOptions): Promise<T> {
    const session = this.session;
    try {
      requireRunState(this.state, ['running'], `execute '${command}'`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (session === undefined || session.ending) {
      return Promise.reject(new QmpInterruptedError(`QMP command '${command}' was not sent: the connection is closing`, { reason: 'disconnected', command }));
    }
    const id = this.nextId();
    const reply = this.pending.add<T>(id, command, args, {
      timeoutMs: options?.timeoutMs ?? this.defaultTimeoutMs,
      signal: options?.signal,
      where: this.name === undefined ? '' : ` (${this.name})`,
    });
    if (this.pending.has(id)) this.send(session, serializeCommand(buildCommand(id, command, args)));
    return reply;
  }

  /**
   * Subscribes a new event listener. Events are queued from this moment, so create it
   * *before* the command that causes the event. Dispose it when done.
   *
   * @param names event names (e.g. `['STOP', 'RESUME']`); undefined or empty = all events.
   * @param filter a further predicate on the event.
   * @throws QmpStateError while disconnecting. A listener made while idle waits for the next
   *   connection and ends with it.
   */
  listen(names?: readonly string[], filter?: QmpEventFilter): QmpEventListener {
    requireRunState(this.state, ['idle', 'connecting', 'running'], 'listen for QMP events');
    const listener = new QmpEventListener(names, {
      filter,
      onDispose: (disposed) => this.listeners.delete(disposed),
    });
    this.listeners.add(listener);
    return listener;
  }

  /**
   * Waits for the next event named `name` (that passes `predicate`). Only events after the
   * call count: to catch an event a command causes, use {@link listen} before the command.
   *
   * @throws QmpStateError unless running.
   * @throws QmpTimeoutError when none comes within `timeoutMs` (default: the command timeout).
   * @throws QmpInterruptedError when the connection ends first.
   */
  async waitForEvent(name: string, predicate?: QmpEventFilter, timeoutMs?: number): Promise<QmpEvent> {
    requireRunState(this.state, ['running'], `wait for QMP event ${name}`);
    const listener = this.listen([name], predicate);
    try {
      return await listener.next(timeoutMs ?? this.defaultTimeoutMs);
    } finally {
      listener.dispose();
    }
  }

  // ── connection ──────────────────────────────────────────────────────────────────────

  private open(stream: Duplex, label: string, phase: QmpPhase, timeoutMs: number | undefined): Promise<QmpGreeting> {
    this.negotiationId = this.nextId();
    this.greetingValue = undefined;
    return this.startSession(stream, label, phase, timeoutMs);
  }

  protected onEnding(reason: QmpError | undefined, why: string): void {
    this.pending.failAll(
      (command) =>
        new QmpInterruptedError(`QMP command '${command}' got no reply: ${why}`, {
          reason: 'disconnected',
          command,
          cause: reason,
          hint: reason === undefined ? 'Connect again if the VM is still running.' : reason.hint,
        }),
    );

    const ended = new QmpInterruptedError(`The QMP connection ended: ${why}`, {
      reason: 'disconnected',
      cause: reason,
    });
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener.end(ended);
  }

  // ── messages ────────────────────────────────────────────────────────────────────────

  protected onMessage(session: QmpSession, message: QmpObject): void {
    switch (session.phase) {
      case 'opening':
      case 'greeting':
        this.onGreeting(session, message);
        return;
      case 'negotiating':
        this.onNegotiationMessage(session, message);
        return;
      case 'running':
        this.onRunningMessage(session, message);
        return;
    }
  }

  private onGreeting(session: QmpSession, message: QmpObject): void {
    const step = readGreeting(session.label, message);
    if (step.kind === 'event') {
      this.dispatch(step.event);
      return;
    }
    if (step.kind === 'failed') {
      this.teardown(session, step.error, step.error.message);
      return;
    }
    this.greetingValue = step.greeting;
    session.phase = 'negotiating';
    this.send(session, serializeCommand(buildCommand(this.negotiationId, 'qmp_capabilities')));
  }

  private onNegotiationMessage(session: QmpSession, message: QmpObject): void {
    const incoming = this.classify(session, message);
    if (incoming === undefined) return;
    const step = negotiationStep(session.label, incoming, message, this.negotiationId);
    switch (step.kind) {
      case 'event':
        this.dispatch(step.event);
        return;
      case 'negotiated':
        this.established(session, this.greetingValue);
        return;
      case 'failed':
        this.teardown(session, step.error, step.error.message);
        return;
    }
  }

  private onRunningMessage(session: QmpSession, message: QmpObject): void {
    const incoming = this.classify(session, message);
    if (incoming === undefined) return;
    switch (incoming.kind) {
      case 'event':
        this.dispatch(incoming.event);
        return;
      case 'greeting': {
        const error = new QmpUnexpectedMessageError(`${session.label} sent a second QMP greeting`, {
          received: message,
          hint: 'The peer does not behave like QEMU.',
        });
        this.teardown(session, error, error.message);
        return;
      }
      case 'return':
      case 'error':
        this.route(session, incoming, message);
        return;
    }
  }

  /** Classifies a message; on a shape error fails the one call it answers, or the connection. */
  private classify(session: QmpSession, message: QmpObject): QmpIncoming | undefined {
    try {
      return classifyMessage(message);
    } catch (error) {
      const failure =
        error instanceof QmpProtocolError
          ? error
          : new QmpUnexpectedMessageError(`Unexpected QMP message: ${excerptOf(message)}`, { received: message, cause: error });
      const id = message['id'];
      // Framing is intact and the reply is routable: only that call fails.
      if (typeof id === 'number' && !('event' in message) && this.pending.fail(id, failure)) return undefined;
      this.teardown(session, failure, failure.message);
      return undefined;
    }
  }

  private route(
    session: QmpSession,
    incoming: Extract<QmpIncoming, { kind: 'return' | 'error' }>,
    message: QmpObject,
  ): void {
    const id = incoming.id;
    if (typeof id === 'number') {
      const settled =
        incoming.kind === 'return'
          ? this.pending.resolve(id, incoming.value)
          : this.pending.rejectWithReply(id, incoming.errorClass, incoming.desc);
      if (settled) return;
    }
    if (incoming.kind === 'error' && id === undefined) {
      // QEMU answers input it could not parse with an id-less error. We only send well-formed
      // commands, so the stream is out of step: stop rather than guess (QEMU's qmp-spec, 2.4.2).
      const error = new QmpUnexpectedMessageError(
        `QEMU reported an error not tied to any command (${incoming.errorClass}): ${incoming.desc}`,
        { received: message, hint: 'QEMU could not parse what was sent; reconnect.' },
      );
      this.teardown(session, error, error.message);
      return;
    }
    this.dropped += 1; // A late reply after a timeout or abort, or an id we never used.
  }

  private dispatch(event: QmpEvent): void {
    for (const listener of [...this.listeners]) listener.deliver(event);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────

  /**
   * The next command id: a number, the shortest id JSON can carry. QEMU's QMP monitor reads a
   * command one byte at a time (one main-loop turn per byte, seen with strace), so every byte of
   * a command is latency — a `"qemu-lab#N"` id cost 25–35 µs per round trip here, a fifth of it.
   */
  private nextId(): number {
    this.idCounter += 1;
    return this.idCounter;
  }
}
