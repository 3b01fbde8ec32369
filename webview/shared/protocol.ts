/**
 * The envelope every panel's messages travel in, imported by both sides — as
 * microsoft/vscode-hexeditor's shared/protocol.ts is. Each panel declares its own discriminated
 * unions (webview/<panel>/protocol.ts) with a check per message type; this file has what they
 * share: the messages every panel has (`ready`, `log`), the text checks, one check of a union
 * from its table ({@link messageCheck}), one dispatch of a message to a handler table keyed by
 * its type ({@link dispatch}), and the endpoint that checks what arrives and posts what leaves
 * ({@link MessageHandler}). A malformed message is logged and dropped, never thrown on.
 */
import { isRecord, isString, objectOf, oneOf, type Check } from './guards';

/** What every message is: an object with a string discriminant. */
export interface Message {
  readonly type: string;
}

/** The member of union `T` whose discriminant is `K`. */
export type MessageOf<T extends Message, K extends T['type']> = Extract<T, { readonly type: K }>;

/** The webview's script runs and listens: send it what it shows (again, after it was hidden). */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Something went wrong in the webview: for the extension's log. */
export interface LogMessage {
  readonly type: 'log';
  readonly level: 'warn' | 'error';
  readonly message: string;
}

/**
 * A check of each member of a union, keyed by its type. The table's type ties each check to its
 * member, so a field added to a message and not checked does not compile.
 */
export type MessageChecks<T extends Message> = { readonly [K in T['type']]: Check<MessageOf<T, K>> };

/**
 * A handler of each member of a union, keyed by its type: the table replaces a `switch`, and a
 * message type without a handler does not compile.
 */
export type MessageHandlers<T extends Message> = { readonly [K in T['type']]: (message: MessageOf<T, K>) => void | Promise<void> };

/** One panel's two unions and their checks: what both of its ends are built from. */
export interface PanelProtocol<TToWebview extends Message, TFromWebview extends Message> {
  readonly isToWebview: Check<TToWebview>;
  readonly isFromWebview: Check<TFromWebview>;
}

/** The prefix of the only data URLs a message may carry (a chart as PNG). */
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** Longest text accepted in a message field other than a data URL (names, ids, log lines). */
const MAX_TEXT = 10_000;
/** Largest PNG data URL accepted: 32 MiB of base64, far beyond any chart. */
const MAX_DATA_URL = 32 * 1024 * 1024;

/** A string of at most 10 000 characters (names, ids, log lines). */
export const isText: Check<string> = (value): value is string => isString(value) && value.length <= MAX_TEXT;

/** {@link isText}, and not empty. */
export const isNonEmptyText: Check<string> = (value): value is string => isText(value) && value.length > 0;

/** A `data:image/png;base64,…` URL of base64 only, at most 32 MiB. */
export const isPngDataUrl: Check<string> = (value): value is string =>
  isString(value) && value.length <= MAX_DATA_URL && value.startsWith(PNG_DATA_URL_PREFIX) && /^[A-Za-z0-9+/]*={0,2}$/.test(value.slice(PNG_DATA_URL_PREFIX.length));

/** The check of {@link ReadyMessage}. */
export const isReadyMessage: Check<ReadyMessage> = objectOf({ type: oneOf('ready') });

/** The check of {@link LogMessage}. */
export const isLogMessage: Check<LogMessage> = objectOf({ type: oneOf('log'), level: oneOf('warn', 'error'), message: isText });

function isKey<T extends object>(table: T, key: unknown): key is keyof T {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);
}

/** The check of a whole union from the check of each member: its type picks the check. */
export function messageCheck<T extends Message>(checks: MessageChecks<T>): Check<T> {
  // The table's keys are exactly T's types, and each check narrows to its member of T.
  const table: Readonly<Record<string, Check<T>>> = checks;
  return (value): value is T => isRecord(value) && isKey(table, value.type) && (table[value.type] as Check<T>)(value);
}

/**
 * One handler for a union from a handler per type: the message goes to the handler of its type.
 * The message must have passed the union's check (the endpoint does that).
 */
export function dispatch<T extends Message>(handlers: MessageHandlers<T>): (message: T) => void | Promise<void> {
  // A handler of a member takes only that member; the lookup by `message.type` gives it exactly that.
  const table: Readonly<Record<string, (message: T) => void | Promise<void>>> = handlers as unknown as Readonly<Record<string, (message: T) => void | Promise<void>>>;
  return (message) => {
    const handler = isKey(table, message.type) ? table[message.type] : undefined;
    if (handler === undefined) throw new Error(`no handler for a "${message.type}" message`);
    return handler(message);
  };
}

/** What a malformed message looked like, briefly, for a log line. */
export function describeMessage(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (!isRecord(value)) return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  const type = value.type;
  return isString(type) ? `a "${type.slice(0, 40)}" message with keys ${Object.keys(value).slice(0, 8).join(', ')}` : `an object without a type (keys ${Object.keys(value).slice(0, 8).join(', ')})`;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One side's end of the channel: checks what arrives, hands well-formed messages to `handler`
 * (a function, or {@link dispatch} of a handler table), and sends typed messages with
 * `postMessage`. It needs nothing of VS Code: the panel passes `webview.postMessage`, the webview
 * passes `acquireVsCodeApi().postMessage`, tests pass arrays. A malformed message, a handler that
 * throws (or rejects) and a post that fails are logged through `log`; none of them escapes.
 */
export class MessageHandler<TIn extends Message, TOut> {
  private disposed = false;

  constructor(
    private readonly handler: (message: TIn) => void | Promise<void>,
    private readonly postMessage: (message: TOut) => unknown,
    private readonly accepts: (value: unknown) => value is TIn,
    private readonly log: (problem: string) => void = () => undefined,
  ) {}

  /** Sends a message; false when the handler is disposed or the post failed at once. */
  post(message: TOut): boolean {
    if (this.disposed) return false;
    try {
      const result = this.postMessage(message);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.log(`could not post a message: ${errorText(error)}`));
      return true;
    } catch (error) {
      this.log(`could not post a message: ${errorText(error)}`);
      return false;
    }
  }

  /**
   * Handles what arrived (`event.data` of a message event, or what `onDidReceiveMessage`
   * delivers). Resolves when the handler is done; never rejects.
   */
  async receive(data: unknown): Promise<void> {
    if (this.disposed) return;
    if (!this.accepts(data)) {
      this.log(`ignored a malformed message: ${describeMessage(data)}`);
      return;
    }
    try {
      await this.handler(data);
    } catch (error) {
      this.log(`handling a "${data.type}" message failed: ${errorText(error)}`);
    }
  }

  /** Stops handling and sending. */
  dispose(): void {
    this.disposed = true;
  }
}

/** A panel's extension end: receives what its webview sends, sends what its webview receives. */
export function extensionEndpoint<TTo extends Message, TFrom extends Message>(
  protocol: PanelProtocol<TTo, TFrom>,
  handler: (message: TFrom) => void | Promise<void>,
  postMessage: (message: TTo) => unknown,
  log?: (problem: string) => void,
): MessageHandler<TFrom, TTo> {
  return new MessageHandler(handler, postMessage, protocol.isFromWebview, log);
}

/** A panel's webview end: receives what the extension sends, sends what the extension receives. */
export function webviewEndpoint<TTo extends Message, TFrom extends Message>(
  protocol: PanelProtocol<TTo, TFrom>,
  handler: (message: TTo) => void | Promise<void>,
  postMessage: (message: TFrom) => unknown,
  log?: (problem: string) => void,
): MessageHandler<TTo, TFrom> {
  return new MessageHandler(handler, postMessage, protocol.isToWebview, log);
}
