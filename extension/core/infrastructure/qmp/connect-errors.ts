/**
 * The errors of opening and keeping a QMP connection, worded for a person: which socket,
 * what went wrong, and what to do about it.
 */
import { QmpConnectError, type QmpError, QmpInterruptedError, QmpNegotiationError, QmpTimeoutError } from './errors';

/** The Node error code of a socket error (`ENOENT`, `ECONNREFUSED`, …), if it has one. */
export function errorCode(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/** A socket that could not be opened. */
export function openError(path: string, cause: Error): QmpConnectError {
  const code = errorCode(cause);
  switch (code) {
    case 'ENOENT':
      return new QmpConnectError(`No QMP socket at ${path}`, {
        target: path,
        code,
        cause,
        hint: 'Is the VM running? QEMU creates the socket when it starts (-qmp unix:PATH,server=on).',
      });
    case 'ECONNREFUSED':
      return new QmpConnectError(`The QMP socket ${path} refused the connection`, {
        target: path,
        code,
        cause,
        hint: 'Nothing listens on it: the VM has probably exited and left a stale socket file. Is the VM running?',
      });
    case 'EACCES':
    case 'EPERM':
      return new QmpConnectError(`Permission denied opening the QMP socket ${path}`, {
        target: path,
        code,
        cause,
        hint: 'The socket belongs to another user (was QEMU started as root?); connect as that user or fix its permissions.',
      });
    default:
      return new QmpConnectError(`Cannot connect to the QMP socket ${path}: ${cause.message}`, {
        target: path,
        code,
        cause,
        hint: 'Is the VM running?',
      });
  }
}

/** An open connection that failed at the socket level. */
export function streamError(label: string, cause: Error): QmpConnectError {
  const code = errorCode(cause);
  return new QmpConnectError(`The QMP connection to ${label} failed: ${cause.message}`, {
    target: label,
    code,
    cause,
    hint:
      code === 'ECONNRESET' || code === 'EPIPE'
        ? 'QEMU closed the connection abruptly: did the VM quit or crash?'
        : 'Check that the VM is still running, then connect again.',
  });
}

/** The handshake stages, for messages. */
export type HandshakeStage = 'opening' | 'greeting' | 'negotiating';

/** connect() gave up waiting: for the socket, the greeting, or the qmp_capabilities reply. */
export function handshakeTimeout(label: string, stage: HandshakeStage, limitMs: number): QmpError {
  switch (stage) {
    case 'opening':
      return new QmpConnectError(`Timed out after ${limitMs} ms connecting to the QMP socket ${label}`, {
        target: label,
        code: 'ETIMEDOUT',
        hint: 'Is the VM running and its QEMU responsive?',
      });
    case 'greeting':
      return new QmpNegotiationError(`No QMP greeting from ${label} within ${limitMs} ms`, {
        hint: 'QEMU serves one client per QMP socket at a time: is another client (another window, a script, qmp-shell) connected? Otherwise the path may not be a QMP socket.',
        cause: new QmpTimeoutError(`No QMP greeting within ${limitMs} ms`, { timeoutMs: limitMs }),
      });
    case 'negotiating':
      return new QmpNegotiationError(`QEMU at ${label} did not answer qmp_capabilities within ${limitMs} ms`, {
        hint: 'QEMU may be stuck; check the process (and its stderr).',
        cause: new QmpTimeoutError(`No reply to qmp_capabilities within ${limitMs} ms`, {
          timeoutMs: limitMs,
          command: 'qmp_capabilities',
        }),
      });
  }
}

/**
 * What connect() rejects with when the connection ended before the handshake finished.
 *
 * @param reason the error that ended it; undefined for a close without error.
 * @param explicit disconnect() was called.
 */
export function handshakeFailure(
  label: string,
  stage: HandshakeStage,
  reason: QmpError | undefined,
  explicit: boolean,
): QmpError {
  if (reason instanceof QmpConnectError || reason instanceof QmpNegotiationError) return reason;
  if (reason === undefined && explicit) {
    return new QmpInterruptedError(`Connecting to ${label} was interrupted: disconnect() was called`, {
      reason: 'disconnected',
    });
  }
  if (reason === undefined) {
    const when = stage === 'negotiating' ? 'during capabilities negotiation' : 'before sending the QMP greeting';
    return new QmpNegotiationError(`${label} closed the connection ${when}`, {
      hint: 'Is this a QMP socket, and is QEMU still running? (QEMU may be exiting, or the socket is not a QMP monitor.)',
    });
  }
  return new QmpNegotiationError(`${label} did not complete the QMP handshake: ${reason.message}`, {
    hint: reason.hint ?? 'Is this path a QMP socket (-qmp unix:PATH,server=on)?',
    cause: reason,
  });
}
