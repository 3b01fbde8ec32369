/**
 * QMP messages as data: the JSON type, building commands, and reading what QEMU sends
 * (greeting, replies, events). Pure functions only; no I/O here.
 *
 * Wire shapes (QEMU's docs/interop/qmp-spec):
 * - greeting `{"QMP": {"version": {"qemu": {"major", "minor", "micro"}, "package"}, "capabilities": [...]}}`
 * - command  `{"execute": name, "arguments"?: {...}, "id"?: any}`
 * - success  `{"return": value, "id"?: any}`
 * - error    `{"error": {"class": string, "desc": string}, "id"?: any}`
 * - event    `{"event": name, "data"?: {...}, "timestamp": {"seconds", "microseconds"}}`
 */
import { QmpNegotiationError, QmpUnexpectedMessageError } from './errors';

/** Any JSON value, as QMP carries it. Received values are read-only. */
export type QmpValue = null | boolean | number | string | readonly QmpValue[] | QmpObject;

/** A JSON object. */
export interface QmpObject {
  readonly [key: string]: QmpValue;
}

/** A command message as sent. `arguments` is absent when there are none. */
export interface QmpCommand {
  readonly execute: string;
  readonly arguments?: QmpObject;
  readonly id: number;
}

/** QEMU's version triple. */
export interface QmpVersionTriple {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
}

/** The greeting QEMU sends first on every QMP connection. */
export interface QmpGreeting {
  readonly version: {
    readonly qemu: QmpVersionTriple;
    /** Distribution package string, e.g. `Debian 1:7.2+dfsg-7`; may be empty. */
    readonly package: string;
  };
  /** Capabilities the server offers (e.g. `oob`); we enable none of them. */
  readonly capabilities: readonly string[];
}

/** When QEMU emitted an event, as it sends it. */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/** An asynchronous event from QEMU, e.g. `STOP`, `RESUME`, `SHUTDOWN`. */
export interface QmpEvent {
  readonly event: string;
  /** The event's data; `{}` when QEMU sent none. */
  readonly data: QmpObject;
  readonly timestamp: QmpTimestamp;
}

/** A received message, sorted by what it is. */
export type QmpIncoming =
  | { readonly kind: 'event'; readonly event: QmpEvent }
  | { readonly kind: 'return'; readonly id: QmpValue | undefined; readonly value: QmpValue }
  | {
      readonly kind: 'error';
      readonly id: QmpValue | undefined;
      readonly errorClass: string;
      readonly desc: string;
    }
  | { readonly kind: 'greeting'; readonly greeting: QmpGreeting };

/** True for a JSON object (not an array, not null). */
export function isQmpObject(value: QmpValue | undefined): value is QmpObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a JSON array. */
export function isQmpArray(value: QmpValue | undefined): value is readonly QmpValue[] {
  return Array.isArray(value);
}

/**
 * Builds the message for one command. Pure: the caller picks the id.
 *
 * @param id unique among the commands in flight on one connection; QEMU echoes it in the reply.
 * @param name the QMP command, e.g. `query-status`.
 * @param args the command's arguments; omitted from the message when undefined.
 */
export function buildCommand(id: number, name: string, args?: QmpObject): QmpCommand {
  return args === undefined ? { execute: name, id } : { execute: name, arguments: args, id };
}

/** Serializes a command as one QMP line, newline included. JSON escapes newlines in strings, so it is one line. */
export function serializeCommand(command: QmpCommand): string {
  return `${JSON.stringify(command)}\n`;
}

/**
 * Reads a greeting. Throws {@link QmpNegotiationError} when it is not one (including any
 * other QMP message arriving first).
 */
export function parseGreeting(message: QmpObject): QmpGreeting {
  const fail = (what: string): never => {
    throw new QmpNegotiationError(`The peer did not send a valid QMP greeting: ${what}`, {
      hint: 'Is this path a QMP socket (-qmp unix:PATH,server=on)? A serial console or HMP monitor socket is not.',
      cause: new QmpUnexpectedMessageError(`Unexpected greeting ${excerptOf(message)}`, { received: message }),
    });
  };
  const qmp = message['QMP'];
  if (!isQmpObject(qmp)) return fail('no "QMP" object');
  const version = qmp['version'];
  if (!isQmpObject(version)) return fail('no "QMP.version" object');
  const qemu = version['qemu'];
  if (!isQmpObject(qemu)) return fail('no "QMP.version.qemu" object');
  const triple: number[] = [];
  for (const key of ['major', 'minor', 'micro'] as const) {
    const part = qemu[key];
    if (typeof part !== 'number' || !Number.isInteger(part) || part < 0) {
      return fail(`"QMP.version.qemu.${key}" is not a non-negative integer`);
    }
    triple.push(part);
  }
  const pkg = version['package'];
  if (pkg !== undefined && typeof pkg !== 'string') return fail('"QMP.version.package" is not a string');
  const capabilities = qmp['capabilities'];
  if (!isQmpArray(capabilities)) return fail('"QMP.capabilities" is not a list');
  const names: string[] = [];
  for (const capability of capabilities) {
    if (typeof capability !== 'string') return fail('"QMP.capabilities" is not a list of strings');
    names.push(capability);
  }
  const [major = 0, minor = 0, micro = 0] = triple;
  return {
    version: { qemu: { major, minor, micro }, package: pkg ?? '' },
    capabilities: names,
  };
}

/**
 * Sorts one received message into greeting, event, success reply or error reply, checking
 * the fields the client relies on. Throws {@link QmpUnexpectedMessageError} for anything else.
 * Only light checks: a reply's `return` value is passed through as is.
 */
export function classifyMessage(message: QmpObject): QmpIncoming {
  const unexpected = (what: string): never => {
    throw new QmpUnexpectedMessageError(`Unexpected QMP message (${what}): ${excerptOf(message)}`, {
      received: message,
      hint: 'The peer does not speak QMP as QEMU does; is this a QEMU QMP socket?',
    });
  };
  if ('event' in message) {
    const name = message['event'];
    if (typeof name !== 'string') return unexpected('"event" is not a string');
    const data = message['data'];
    if (data !== undefined && !isQmpObject(data)) return unexpected('event "data" is not an object');
    const stamp = message['timestamp'];
    let timestamp: QmpTimestamp = { seconds: -1, microseconds: -1 };
    if (stamp !== undefined) {
      if (!isQmpObject(stamp)) return unexpected('event "timestamp" is not an object');
      const { seconds, microseconds } = stamp;
      if (typeof seconds !== 'number' || typeof microseconds !== 'number') {
        return unexpected('event "timestamp" lacks numeric seconds/microseconds');
      }
      timestamp = { seconds, microseconds };
    }
    return { kind: 'event', event: { event: name, data: data ?? {}, timestamp } };
  }
  const id = message['id'];
  if ('return' in message) {
    const value = message['return'];
    return { kind: 'return', id, value: value === undefined ? null : value };
  }
  if ('error' in message) {
    const error = message['error'];
    if (!isQmpObject(error)) return unexpected('"error" is not an object');
    const errorClass = error['class'];
    const desc = error['desc'];
    if (typeof errorClass !== 'string') return unexpected('"error.class" is not a string');
    if (typeof desc !== 'string') return unexpected('"error.desc" is not a string');
    return { kind: 'error', id, errorClass, desc };
  }
  if ('QMP' in message) return { kind: 'greeting', greeting: parseGreeting(message) };
  return unexpected('neither event, return, error nor greeting');
}

/** Up to `max` characters of a value as JSON, for messages and logs. */
export function excerptOf(value: QmpValue, max = 200): string {
  const text = JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
