/**
 * What the messages of a QMP handshake mean, as pure functions: the greeting (or why it is
 * not one), then the reply to `qmp_capabilities` (or why the connection must end). The client
 * acts on the answer; these only decide.
 */
import { type QmpError, QmpNegotiationError, QmpUnexpectedMessageError } from './errors';
import { classifyMessage, excerptOf, parseGreeting, type QmpEvent, type QmpGreeting, type QmpIncoming, type QmpObject } from './messages';

/** What a message before the greeting means. */
export type GreetingStep =
  /** The greeting: negotiate capabilities next. */
  | { readonly kind: 'greeting'; readonly greeting: QmpGreeting }
  /**
   * An event ahead of the greeting: deliver it and keep waiting. QEMU 7.2 sends one when it
   * emits an event while a new client's connection is being opened right after an earlier
   * client negotiated on the same monitor (seen in a COLO set-up with BLOCK_JOB_READY).
   */
  | { readonly kind: 'event'; readonly event: QmpEvent }
  /** Something else: the connection ends with `error`. */
  | { readonly kind: 'failed'; readonly error: QmpError };

/**
 * Decides what a message that came before the greeting means.
 *
 * @param label names the other end in messages.
 */
export function readGreeting(label: string, message: QmpObject): GreetingStep {
  if (!('QMP' in message)) {
    const event = eventOf(message);
    if (event !== undefined) return { kind: 'event', event };
    return {
      kind: 'failed',
      error: new QmpNegotiationError(`${label} sent ${excerptOf(message)} where the QMP greeting was expected`, {
        hint: 'Is this path a QMP socket (-qmp unix:PATH,server=on)?',
        cause: new QmpUnexpectedMessageError(`Unexpected message before the greeting: ${excerptOf(message)}`, { received: message }),
      }),
    };
  }
  try {
    return { kind: 'greeting', greeting: parseGreeting(message) };
  } catch (error) {
    return { kind: 'failed', error: error as QmpNegotiationError };
  }
}

/** The message as an event, when it is a well-formed one. */
function eventOf(message: QmpObject): QmpEvent | undefined {
  if (!('event' in message)) return undefined;
  try {
    const incoming = classifyMessage(message);
    return incoming.kind === 'event' ? incoming.event : undefined;
  } catch {
    return undefined;
  }
}

/** What a message during capabilities negotiation means. */
export type NegotiationStep =
  /** An event QEMU sent meanwhile: deliver it and keep waiting. */
  | { readonly kind: 'event'; readonly event: QmpEvent }
  /** The reply to `qmp_capabilities`: the connection runs. */
  | { readonly kind: 'negotiated' }
  /** Refused, or something else came: the connection ends with `error`. */
  | { readonly kind: 'failed'; readonly error: QmpError };

/**
 * Decides what a message during capabilities negotiation means.
 *
 * @param incoming the message, classified.
 * @param message the message as received, for the error's excerpt.
 * @param negotiationId the id `qmp_capabilities` was sent with.
 */
export function negotiationStep(label: string, incoming: QmpIncoming, message: QmpObject, negotiationId: number): NegotiationStep {
  if (incoming.kind === 'event') return { kind: 'event', event: incoming.event };
  if ((incoming.kind === 'return' || incoming.kind === 'error') && incoming.id === negotiationId) {
    if (incoming.kind === 'return') return { kind: 'negotiated' };
    return {
      kind: 'failed',
      error: new QmpNegotiationError(`QEMU at ${label} refused qmp_capabilities (${incoming.errorClass}): ${incoming.desc}`, {
        errorClass: incoming.errorClass,
        hint: 'Is another client already in command mode on this monitor?',
      }),
    };
  }
  return {
    kind: 'failed',
    error: new QmpNegotiationError(`${label} sent ${excerptOf(message)} while negotiating capabilities`, {
      hint: 'The peer does not behave like QEMU.',
      cause: new QmpUnexpectedMessageError(`Unexpected message during negotiation: ${excerptOf(message)}`, { received: message }),
    }),
  };
}
