/**
 * The QMP client, after QEMU's `qemu.qmp.QMPClient`: connect (or adopt a stream), read the
 * greeting, negotiate capabilities, then run commands concurrently and hand out events.
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
import { handshakeFailure, handshakeTimeout, openError, streamError } from './connect-errors';
import {
  QmpConnectError,
  QmpDeserializationError,
  type QmpError,
  QmpInterruptedError,
  QmpNegotiationError,
  QmpProtocolError,
  QmpUnexpectedMessageError,
} from './errors';
import { type QmpEventFilter, QmpEventListener } from './events';
import { QmpFramer } from './framer';
import {
  buildCommand,
  classifyMessage,
  excerptOf,
  parseGreeting,
  type QmpEvent,
  type QmpGreeting,
  type QmpIncoming,
  type QmpObject,
  type QmpValue,
  serializeCommand,
} from './messages';
import { PendingCalls } from './pending-calls';
import { type QmpRunState, requireRunState } from './run-state';

/** Default time a command may take before its call fails with a {@link QmpTimeoutError}. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
/** Default time for opening the socket, the greeting and capabilities negotiation together. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Longest UNIX socket path Linux accepts (sun_path is 108 bytes with the terminating NUL). */
export const MAX_UNIX_SOCKET_PATH_BYTES = 107;

/** Which way a traced line went. */
export type QmpTraceDirection = 'send' | 'recv';

/** Options of a {@link QmpClient}. */
export interface QmpClientOptions {
  /** A name for messages, e.g. the VM's name. */
  readonly name?: string;
  /** Per-command timeout unless a call gives its own. Default {@link DEFAULT_COMMAND_TIMEOUT_MS}. */
  readonly defaultTimeoutMs?: number;
  /** Timeout of connect()/connectStream(). Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  readonly connectTimeoutMs?: number;
  /** Longest message accepted, in bytes. Default 16 MiB (see `framer.ts`). */
  readonly maxMessageBytes?: number;
  /**
   * Sees every line sent and received (without its line terminator), e.g. to log QMP traffic
   * at trace level. Exceptions it throws are ignored.
   */
  readonly onTrace?: (direction: QmpTraceDirection, line: string) => void;
  /** Called on every run-state change. Exceptions it throws are ignored. */
  readonly onStateChange?: (state: QmpRunState) => void;
  /**
   * Called when an established connection has ended (the client is idle again), with the
   * error that ended it, or undefined for a clean close (disconnect() or QEMU closing the
   * socket). Not called when connect() fails: that rejects instead. Exceptions it throws are ignored.
   */
  readonly onDisconnect?: (error: QmpError | undefined) => void;
}

/** Options of one {@link QmpClient.execute} call. */
export interface QmpExecuteOptions {
  /** Overrides the client's default timeout; `Infinity` = no timeout. */
  readonly timeoutMs?: number;
  /** Abort waiting for the reply (QEMU may still run the command; its reply is dropped). */
  readonly signal?: AbortSignal;
}

/** Options of {@link QmpClient.connect} and {@link QmpClient.connectStream}. */
export interface QmpConnectOptions {
  /** Overrides the client's connect timeout. */
  readonly timeoutMs?: number;
}

type Phase = 'opening' | 'greeting' | 'negotiating' | 'running';

/** One connection's state; a client has at most one at a time. */
interface Session {
  readonly stream: Duplex;
  readonly label: string;
  readonly framer: QmpFramer;
  phase: Phase;
  readonly negotiationId: string;
  connectTimer: NodeJS.Timeout | undefined;
  connectWaiter: { resolve: (greeting: QmpGreeting) => void; reject: (error: QmpError) => void } | undefined;
  /** Set once teardown began; every handler is a no-op afterwards. */
  ending: boolean;
  closeSeen: boolean;
  finished: boolean;
  /** Resolves once the stream is closed and the client is idle again. Never rejects. */
  readonly done: Promise<void>;
  readonly markDone: () => void;
  /** The error to reject connect() with once done, if connect was still waiting. */
  connectFailure: QmpError | undefined;
  /** Reached `running`; only then is onDisconnect called. */
  established: boolean;
  reason: QmpError | undefined;
  /** disconnect() was called (rather than the peer or an error ending it). */
  explicit: boolean;
  closeFallback: NodeJS.Timeout | undefined;
}

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
export class QmpClient {
  private runState: QmpRunState = 'idle';
  private session: Session | undefined;
  private readonly pending = new PendingCalls();
  private readonly listeners = new Set<QmpEventListener>();
  private idCounter = 0;
  private greetingValue: QmpGreeting | undefined;
  private lastError: QmpError | undefined;
  private dropped = 0;
  private readonly name: string | undefined;
  private readonly defaultTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxMessageBytes: number | undefined;
  private readonly onTrace: QmpClientOptions['onTrace'];
  private readonly onStateChange: QmpClientOptions['onStateChange'];
  private readonly onDisconnect: QmpClientOptions['onDisconnect'];

  constructor(options: QmpClientOptions = {}) {
    this.name = options.name;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.maxMessageBytes = options.maxMessageBytes;
    this.onTrace = options.onTrace;
    this.onStateChange = options.onStateChange;
    this.onDisconnect = options.onDisconnect;
  }

  /** The current run state. */
  get state(): QmpRunState {
    return this.runState;
  }

  /** The greeting of the current (or last) connection; undefined before the first greeting. */
  get greeting(): QmpGreeting | undefined {
    return this.greetingValue;
  }

  /** Why the last connection ended: undefined while connected, after a clean close, or before any. */
  get disconnectError(): QmpError | undefined {
    return this.lastError;
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
      requireRunState(this.runState, ['idle'], `connect to ${path}`);
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
    return this.startSession(netConnect({ path }), path, 'opening', options?.timeoutMs);
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
      requireRunState(this.runState, ['idle'], `connect to ${label}`);
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
    return this.startSession(stream, label, 'greeting', options?.timeoutMs);
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
      requireRunState(this.runState, ['running'], `execute '${command}'`);
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
    requireRunState(this.runState, ['idle', 'connecting', 'running'], 'listen for QMP events');
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
    requireRunState(this.runState, ['running'], `wait for QMP event ${name}`);
    const listener = this.listen([name], predicate);
    try {
      return await listener.next(timeoutMs ?? this.defaultTimeoutMs);
    } finally {
      listener.dispose();
    }
  }

  /**
   * Closes the connection. Pending calls reject with {@link QmpInterruptedError}, listeners
   * end. Resolves once the socket is closed and the client is idle. Idempotent; a no-op when idle.
   */
  disconnect(): Promise<void> {
    const session = this.session;
    if (session === undefined) return Promise.resolve();
    if (!session.ending) session.explicit = true;
    this.teardown(session, undefined, 'disconnect() was called');
    return session.done;
  }

  // ── connection lifecycle ────────────────────────────────────────────────────────────

  private startSession(stream: Duplex, label: string, phase: Phase, timeoutMs: number | undefined): Promise<QmpGreeting> {
    let markDone = (): void => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const session: Session = {
      stream,
      label,
      framer: new QmpFramer({ maxMessageBytes: this.maxMessageBytes }),
      phase,
      negotiationId: this.nextId(),
      connectTimer: undefined,
      connectWaiter: undefined,
      ending: false,
      closeSeen: false,
      finished: false,
      done,
      markDone,
      connectFailure: undefined,
      established: false,
      reason: undefined,
      explicit: false,
      closeFallback: undefined,
    };
    this.session = session;
    this.greetingValue = undefined;
    this.lastError = undefined;
    this.setState('connecting');

    const connected = new Promise<QmpGreeting>((resolve, reject) => {
      session.connectWaiter = { resolve, reject };
    });

    stream.on('data', (chunk: Buffer | string) => this.onData(session, chunk));
    stream.on('end', () => this.onEnd(session));
    // Stays attached for the stream's life: an 'error' without a listener would crash the process.
    stream.on('error', (error: Error) => this.onStreamError(session, error));
    stream.on('close', () => {
      session.closeSeen = true;
      if (!session.ending) this.teardown(session, undefined, `${label} was closed`);
      this.finish(session);
    });
    if (phase === 'opening') {
      stream.once('connect', () => {
        if (!session.ending && session.phase === 'opening') session.phase = 'greeting';
      });
    }

    const limit = timeoutMs ?? this.connectTimeoutMs;
    if (Number.isFinite(limit)) {
      session.connectTimer = setTimeout(() => this.onConnectTimeout(session, limit), Math.min(Math.max(limit, 0), 2_147_483_647));
    }
    return connected;
  }

  private onConnectTimeout(session: Session, limit: number): void {
    if (session.ending || session.phase === 'running') return;
    const error = handshakeTimeout(session.label, session.phase, limit);
    this.teardown(session, error, error.message);
  }

  private onData(session: Session, chunk: Buffer | string): void {
    if (session.ending) return;
    const { frames, error } = session.framer.push(chunk);
    for (const frame of frames) {
      if (session.ending) return;
      this.trace('recv', frame.text);
      this.onMessage(session, frame.message);
    }
    if (error !== undefined && !session.ending) {
      if (error instanceof QmpDeserializationError) this.trace('recv', error.excerpt);
      this.teardown(session, error, error.message);
    }
  }

  private onEnd(session: Session): void {
    if (session.ending) return;
    const { frames, error } = session.framer.end();
    for (const frame of frames) {
      if (session.ending) return;
      this.trace('recv', frame.text);
      this.onMessage(session, frame.message);
    }
    if (session.ending) return;
    if (error !== undefined) this.teardown(session, error, error.message);
    else this.teardown(session, undefined, `QEMU closed the QMP connection ${session.label}`);
  }

  private onStreamError(session: Session, error: Error): void {
    if (session.ending) return;
    const failure = session.phase === 'opening' ? openError(session.label, error) : streamError(session.label, error);
    this.teardown(session, failure, failure.message);
  }

  /**
   * Ends a session: fails pending calls and listeners at once, closes the stream, and goes
   * idle when the stream reports closed. Idempotent.
   *
   * @param reason the error that ended it; undefined for a clean close.
   * @param why one clause for messages, e.g. `disconnect() was called`.
   */
  private teardown(session: Session, reason: QmpError | undefined, why: string): void {
    if (session.ending) return;
    session.ending = true;
    session.reason = reason;
    if (session.connectTimer !== undefined) clearTimeout(session.connectTimer);
    const wasEstablished = session.established;
    if (this.session === session) {
      this.lastError = reason;
      this.setState('disconnecting');
    }

    if (session.connectWaiter !== undefined && !wasEstablished && session.phase !== 'running') {
      session.connectFailure = handshakeFailure(session.label, session.phase, reason, session.explicit);
    }

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

    session.stream.destroy();
    if (session.closeSeen) {
      this.finish(session);
    } else {
      // A well-behaved stream emits 'close' after destroy(); do not wait forever for one that does not.
      session.closeFallback = setTimeout(() => this.finish(session), 2_000);
      session.closeFallback.unref();
    }
  }

  /** The stream is closed: go idle, settle connect(), tell onDisconnect. Idempotent. */
  private finish(session: Session): void {
    if (session.finished || !session.ending) return;
    session.finished = true;
    if (session.closeFallback !== undefined) clearTimeout(session.closeFallback);
    if (this.session === session) {
      this.session = undefined;
      this.setState('idle');
    }
    session.markDone();
    const waiter = session.connectWaiter;
    session.connectWaiter = undefined;
    if (waiter !== undefined && session.connectFailure !== undefined) waiter.reject(session.connectFailure);
    if (session.established) {
      const reason = session.reason;
      this.safely(() => this.onDisconnect?.(reason));
    }
  }

  // ── messages ────────────────────────────────────────────────────────────────────────

  private onMessage(session: Session, message: QmpObject): void {
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

  private onGreeting(session: Session, message: QmpObject): void {
    if (!('QMP' in message)) {
      const error = new QmpNegotiationError(`${session.label} sent ${excerptOf(message)} where the QMP greeting was expected`, {
        hint: 'Is this path a QMP socket (-qmp unix:PATH,server=on)?',
        cause: new QmpUnexpectedMessageError(`Unexpected message before the greeting: ${excerptOf(message)}`, { received: message }),
      });
      this.teardown(session, error, error.message);
      return;
    }
    let greeting: QmpGreeting;
    try {
      greeting = parseGreeting(message);
    } catch (error) {
      const failure = error as QmpNegotiationError;
      this.teardown(session, failure, failure.message);
      return;
    }
    this.greetingValue = greeting;
    session.phase = 'negotiating';
    this.send(session, serializeCommand(buildCommand(session.negotiationId, 'qmp_capabilities')));
  }

  private onNegotiationMessage(session: Session, message: QmpObject): void {
    const incoming = this.classify(session, message);
    if (incoming === undefined) return;
    if (incoming.kind === 'event') {
      this.dispatch(incoming.event);
      return;
    }
    if ((incoming.kind === 'return' || incoming.kind === 'error') && incoming.id === session.negotiationId) {
      if (incoming.kind === 'error') {
        const error = new QmpNegotiationError(
          `QEMU at ${session.label} refused qmp_capabilities (${incoming.errorClass}): ${incoming.desc}`,
          { errorClass: incoming.errorClass, hint: 'Is another client already in command mode on this monitor?' },
        );
        this.teardown(session, error, error.message);
        return;
      }
      session.phase = 'running';
      session.established = true;
      if (session.connectTimer !== undefined) clearTimeout(session.connectTimer);
      session.connectTimer = undefined;
      this.setState('running');
      const waiter = session.connectWaiter;
      session.connectWaiter = undefined;
      if (waiter !== undefined && this.greetingValue !== undefined) waiter.resolve(this.greetingValue);
      return;
    }
    const error = new QmpNegotiationError(`${session.label} sent ${excerptOf(message)} while negotiating capabilities`, {
      hint: 'The peer does not behave like QEMU.',
      cause: new QmpUnexpectedMessageError(`Unexpected message during negotiation: ${excerptOf(message)}`, { received: message }),
    });
    this.teardown(session, error, error.message);
  }

  private onRunningMessage(session: Session, message: QmpObject): void {
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
  private classify(session: Session, message: QmpObject): QmpIncoming | undefined {
    try {
      return classifyMessage(message);
    } catch (error) {
      const failure =
        error instanceof QmpProtocolError
          ? error
          : new QmpUnexpectedMessageError(`Unexpected QMP message: ${excerptOf(message)}`, { received: message, cause: error });
      const id = message['id'];
      // Framing is intact and the reply is routable: only that call fails.
      if (typeof id === 'string' && !('event' in message) && this.pending.fail(id, failure)) return undefined;
      this.teardown(session, failure, failure.message);
      return undefined;
    }
  }

  private route(
    session: Session,
    incoming: Extract<QmpIncoming, { kind: 'return' | 'error' }>,
    message: QmpObject,
  ): void {
    const id = incoming.id;
    if (typeof id === 'string') {
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

  private send(session: Session, line: string): void {
    this.trace('send', line.endsWith('\n') ? line.slice(0, -1) : line);
    session.stream.write(line);
  }

  private nextId(): string {
    this.idCounter += 1;
    return `qemu-lab#${this.idCounter}`;
  }

  private setState(state: QmpRunState): void {
    if (this.runState === state) return;
    this.runState = state;
    this.safely(() => this.onStateChange?.(state));
  }

  private trace(direction: QmpTraceDirection, line: string): void {
    if (this.onTrace !== undefined) this.safely(() => this.onTrace?.(direction, line));
  }

  private safely(hook: () => void): void {
    try {
      hook();
    } catch {
      // A caller's hook must not break the protocol.
    }
  }
}

