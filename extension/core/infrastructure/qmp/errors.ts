/**
 * The errors of the QMP client. All of them are {@link QemuLabError}s, so every one has a
 * message for a person and, where there is something to do about it, a `hint`.
 *
 * ```
 * QemuLabError                       (extension/core/errors.ts)
 * └── QmpError                       anything that went wrong talking QMP
 *     ├── QmpConnectError            the socket cannot be opened (missing, refused) or failed
 *     ├── QmpNegotiationError        no usable greeting, or `qmp_capabilities` was refused
 *     ├── QmpStateError              a call made in the wrong run state (e.g. execute when not connected)
 *     ├── QmpExecuteError            QEMU answered a command with an error (`class`, `desc`)
 *     ├── QmpTimeoutError            no reply (or event) in time; the connection stays up
 *     ├── QmpInterruptedError        the call could not finish: disconnected, aborted, or disposed
 *     └── QmpProtocolError           the peer does not speak QMP as we understand it; the
 *         │                          connection is closed when one of these happens
 *         ├── QmpDeserializationError    a line is not JSON (or not UTF-8)
 *         ├── QmpUnexpectedMessageError  valid JSON of a shape QMP does not send here
 *         └── QmpOversizedMessageError   a line longer than the limit; we fail rather than grow
 * ```
 *
 * Code decides on the class and on the fields (`errorClass`, `reason`, …); it never parses
 * `message` or QEMU's `desc`, which are for people.
 */
import { QemuLabError } from '../../errors';
import type { QmpValue } from './messages';
import type { QmpRunState } from './run-state';

/** Root of every error of the QMP client. */
export class QmpError extends QemuLabError {}

/** The QMP socket could not be opened, or the open connection failed at the socket level. */
export class QmpConnectError extends QmpError {
  /** The socket path or stream label we were talking to. */
  readonly target: string;
  /** The Node error code (`ENOENT`, `ECONNREFUSED`, `ECONNRESET`, …) when there is one. */
  readonly code: string | undefined;

  constructor(message: string, options: { target: string; code?: string; hint?: string; cause?: unknown }) {
    super(message, options);
    this.target = options.target;
    this.code = options.code;
  }
}

/** The peer did not greet us as a QMP server does, or refused capabilities negotiation. */
export class QmpNegotiationError extends QmpError {
  /** QMP error `class` when `qmp_capabilities` was answered with an error. */
  readonly errorClass: string | undefined;

  constructor(message: string, options?: { errorClass?: string; hint?: string; cause?: unknown }) {
    super(message, options);
    this.errorClass = options?.errorClass;
  }
}

/** A method was called in a run state that does not allow it. */
export class QmpStateError extends QmpError {
  /** What was attempted, e.g. `execute 'query-status'`. */
  readonly action: string;
  /** The state the client was in. */
  readonly state: QmpRunState;
  /** The states that would have allowed it. */
  readonly allowed: readonly QmpRunState[];

  constructor(action: string, state: QmpRunState, allowed: readonly QmpRunState[], options?: { hint?: string }) {
    super(`Cannot ${action}: the QMP client is ${state} (needs ${allowed.join(' or ')})`, {
      hint: options?.hint ?? defaultStateHint(state),
    });
    this.action = action;
    this.state = state;
    this.allowed = allowed;
  }
}

function defaultStateHint(state: QmpRunState): string {
  switch (state) {
    case 'idle':
      return 'Connect to the VM first; if it was connected, the VM may have quit or crashed.';
    case 'connecting':
      return 'Wait for connect() to finish.';
    case 'running':
      return 'The client is already connected; disconnect() first to connect again.';
    case 'disconnecting':
      return 'The connection is closing; wait for disconnect() and connect again.';
  }
}

/** QEMU ran the command and answered with an error. */
export class QmpExecuteError extends QmpError {
  /** The QMP error `class`, e.g. `CommandNotFound`, `GenericError`, `DeviceNotFound`. */
  readonly errorClass: string;
  /** QEMU's human-readable description. Show it; never parse it. */
  readonly desc: string;
  /** The command sent. */
  readonly command: string;
  /** The arguments sent, if any. */
  readonly args: Readonly<Record<string, QmpValue>> | undefined;

  constructor(command: string, args: Readonly<Record<string, QmpValue>> | undefined, errorClass: string, desc: string) {
    super(`QMP command '${command}' failed (${errorClass}): ${desc}`, { hint: executeHint(command, errorClass) });
    this.errorClass = errorClass;
    this.desc = desc;
    this.command = command;
    this.args = args;
  }
}

function executeHint(command: string, errorClass: string): string | undefined {
  switch (errorClass) {
    case 'CommandNotFound':
      return `This QEMU has no command '${command}'; 'query-commands' lists the ones it has (it may be too old, or built without that feature).`;
    case 'DeviceNotFound':
      return 'No device by that name: check the id given to -device/-drive/-netdev, or list them with query-block / qom-list.';
    case 'DeviceNotActive':
      return 'The device exists but is not active yet; try again once the VM has started it.';
    case 'KVMMissingCap':
      return 'The KVM of this host lacks a capability this needs; try accel tcg or a newer kernel.';
    default:
      return undefined;
  }
}

/** No reply (or no event) arrived in time. The connection is still usable; a late reply is dropped. */
export class QmpTimeoutError extends QmpError {
  /** The command that timed out; undefined when waiting for an event or the greeting. */
  readonly command: string | undefined;
  /** How long we waited. */
  readonly timeoutMs: number;

  constructor(message: string, options: { timeoutMs: number; command?: string; hint?: string }) {
    super(message, options);
    this.command = options.command;
    this.timeoutMs = options.timeoutMs;
  }
}

/** Why a call was interrupted. */
export type QmpInterruptReason = 'disconnected' | 'aborted' | 'disposed';

/**
 * A call could not finish: the connection ended (`disconnected`; `cause` says why when it was
 * not a clean close), the caller's AbortSignal fired (`aborted`), or the event listener it
 * waited on was disposed (`disposed`).
 */
export class QmpInterruptedError extends QmpError {
  readonly reason: QmpInterruptReason;
  /** The command that was waiting, if the call was an execute. */
  readonly command: string | undefined;

  constructor(
    message: string,
    options: { reason: QmpInterruptReason; command?: string; hint?: string; cause?: unknown },
  ) {
    super(message, options);
    this.reason = options.reason;
    this.command = options.command;
  }
}

/**
 * The peer sent something that is not QMP as we understand it. These end the connection:
 * after one, nothing more that peer sends can be trusted to be framed right.
 */
export class QmpProtocolError extends QmpError {}

/** A received line is not valid UTF-8 JSON. */
export class QmpDeserializationError extends QmpProtocolError {
  /** The start of the offending line, for logs. */
  readonly excerpt: string;

  constructor(message: string, options: { excerpt: string; cause?: unknown; hint?: string }) {
    super(message, options);
    this.excerpt = options.excerpt;
  }
}

/** A received message is valid JSON but not of a shape QMP sends at this point. */
export class QmpUnexpectedMessageError extends QmpProtocolError {
  /** The message as received. */
  readonly received: QmpValue;

  constructor(message: string, options: { received: QmpValue; hint?: string; cause?: unknown }) {
    super(message, options);
    this.received = options.received;
  }
}

/** A received line is longer than the client's limit; we stop reading rather than buffer it. */
export class QmpOversizedMessageError extends QmpProtocolError {
  /** The limit, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`A QMP message is longer than the limit of ${limitBytes} bytes; the connection was closed`, {
      hint: 'Either the peer is not QEMU, or it answered with a very large reply; raise maxMessageBytes if that is expected.',
    });
    this.limitBytes = limitBytes;
  }
}
