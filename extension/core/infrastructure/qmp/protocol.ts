/**
 * The connection half of the QMP client, after QEMU's `qemu.qmp.protocol.AsyncProtocol`: one
 * stream at a time, split into messages by the framer, the run state (`run-state.ts`), the
 * connect timeout, and teardown — every way a connection ends goes through {@link QmpProtocol.teardown}
 * once, and the client is idle again when the stream has closed. What the messages mean
 * (greeting, negotiation, replies, events) is the subclass's business: `client.ts`.
 */
import type { Duplex } from 'node:stream';
import { handshakeFailure, handshakeTimeout, openError, streamError } from './connect-errors';
import { QmpDeserializationError, type QmpError } from './errors';
import { QmpFramer } from './framer';
import type { QmpGreeting, QmpObject } from './messages';
import type { QmpRunState } from './run-state';

/** Which way a traced line went. */
export type QmpTraceDirection = 'send' | 'recv';

/** Where a connection is in its handshake; `running` once capabilities are negotiated. */
export type QmpPhase = 'opening' | 'greeting' | 'negotiating' | 'running';

/** The options the connection half uses; `QmpClientOptions` documents them for callers. */
export interface QmpProtocolOptions {
  readonly connectTimeoutMs: number;
  readonly maxMessageBytes: number | undefined;
  readonly onTrace: ((direction: QmpTraceDirection, line: string) => void) | undefined;
  readonly onStateChange: ((state: QmpRunState) => void) | undefined;
  readonly onDisconnect: ((error: QmpError | undefined) => void) | undefined;
}

/** One connection's state; a client has at most one at a time. */
export interface QmpSession {
  readonly stream: Duplex;
  readonly label: string;
  readonly framer: QmpFramer;
  phase: QmpPhase;
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

/** A QMP connection's lifecycle; {@link QmpClient} adds what the messages mean. */
export abstract class QmpProtocol {
  private runState: QmpRunState = 'idle';
  /** The current connection, if any. */
  protected session: QmpSession | undefined;
  private lastError: QmpError | undefined;

  constructor(private readonly protocolOptions: QmpProtocolOptions) {}

  /** The current run state. */
  get state(): QmpRunState {
    return this.runState;
  }

  /** Why the last connection ended: undefined while connected, after a clean close, or before any. */
  get disconnectError(): QmpError | undefined {
    return this.lastError;
  }

  /**
   * Closes the connection. Pending calls reject with `QmpInterruptedError`, listeners
   * end. Resolves once the socket is closed and the client is idle. Idempotent; a no-op when idle.
   */
  disconnect(): Promise<void> {
    const session = this.session;
    if (session === undefined) return Promise.resolve();
    if (!session.ending) session.explicit = true;
    this.teardown(session, undefined, 'disconnect() was called');
    return session.done;
  }

  /** A message of the current connection, in order; `session.phase` says what is expected. */
  protected abstract onMessage(session: QmpSession, message: QmpObject): void;

  /**
   * The connection is ending: fail whatever waits on it (at once, before the stream is closed).
   *
   * @param reason the error that ended it; undefined for a clean close.
   * @param why one clause for messages, e.g. `disconnect() was called`.
   */
  protected abstract onEnding(reason: QmpError | undefined, why: string): void;

  /** Takes `stream` as the connection and resolves with the greeting once {@link established}. */
  protected startSession(stream: Duplex, label: string, phase: QmpPhase, timeoutMs: number | undefined): Promise<QmpGreeting> {
    let markDone = (): void => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const session: QmpSession = {
      stream,
      label,
      framer: new QmpFramer({ maxMessageBytes: this.protocolOptions.maxMessageBytes }),
      phase,
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

    const limit = timeoutMs ?? this.protocolOptions.connectTimeoutMs;
    if (Number.isFinite(limit)) {
      session.connectTimer = setTimeout(() => this.onConnectTimeout(session, limit), Math.min(Math.max(limit, 0), 2_147_483_647));
    }
    return connected;
  }

  /** The handshake is done: the session runs, and connect() resolves with `greeting`. */
  protected established(session: QmpSession, greeting: QmpGreeting | undefined): void {
    session.phase = 'running';
    session.established = true;
    if (session.connectTimer !== undefined) clearTimeout(session.connectTimer);
    session.connectTimer = undefined;
    this.setState('running');
    const waiter = session.connectWaiter;
    session.connectWaiter = undefined;
    if (waiter !== undefined && greeting !== undefined) waiter.resolve(greeting);
  }

  /**
   * Ends a session: fails pending calls and listeners at once, closes the stream, and goes
   * idle when the stream reports closed. Idempotent.
   *
   * @param reason the error that ended it; undefined for a clean close.
   * @param why one clause for messages, e.g. `disconnect() was called`.
   */
  protected teardown(session: QmpSession, reason: QmpError | undefined, why: string): void {
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

    this.onEnding(reason, why);

    session.stream.destroy();
    if (session.closeSeen) {
      this.finish(session);
    } else {
      // A well-behaved stream emits 'close' after destroy(); do not wait forever for one that does not.
      session.closeFallback = setTimeout(() => this.finish(session), 2_000);
      session.closeFallback.unref();
    }
  }

  /** Writes one serialized message (traced without its line terminator). */
  protected send(session: QmpSession, line: string): void {
    this.trace('send', line.endsWith('\n') ? line.slice(0, -1) : line);
    session.stream.write(line);
  }

  /** Runs a caller's hook; what it throws is dropped. */
  protected safely(hook: () => void): void {
    try {
      hook();
    } catch {
      // A caller's hook must not break the protocol.
    }
  }

  private onConnectTimeout(session: QmpSession, limit: number): void {
    if (session.ending || session.phase === 'running') return;
    const error = handshakeTimeout(session.label, session.phase, limit);
    this.teardown(session, error, error.message);
  }

  private onData(session: QmpSession, chunk: Buffer | string): void {
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

  private onEnd(session: QmpSession): void {
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

  private onStreamError(session: QmpSession, error: Error): void {
    if (session.ending) return;
    const failure = session.phase === 'opening' ? openError(session.label, error) : streamError(session.label, error);
    this.teardown(session, failure, failure.message);
  }

  /** The stream is closed: go idle, settle connect(), tell onDisconnect. Idempotent. */
  private finish(session: QmpSession): void {
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
      this.safely(() => this.protocolOptions.onDisconnect?.(reason));
    }
  }

  private setState(state: QmpRunState): void {
    if (this.runState === state) return;
    this.runState = state;
    this.safely(() => this.protocolOptions.onStateChange?.(state));
  }

  private trace(direction: QmpTraceDirection, line: string): void {
    if (this.protocolOptions.onTrace !== undefined) this.safely(() => this.protocolOptions.onTrace?.(direction, line));
  }
}
