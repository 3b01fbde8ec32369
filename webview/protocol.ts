/**
 * The messages between the results panel (extension host) and its webview, one discriminated
 * union per direction, imported by both sides — as microsoft/vscode-hexeditor's
 * shared/protocol.ts does. Everything received is checked by shape ({@link isToWebview},
 * {@link isFromWebview}) before it is handled: a malformed message is logged and dropped, never
 * thrown on.
 */
import { isColoViewModel, type ColoViewModel } from './colo-model';
import { isRecord, isString, objectOf, oneOf, optional, type Check } from './guards';
import { isMigrationViewModel, type MigrationViewModel } from './migration-model';
import { isResultsViewModel, isRunProgressView, type ResultsViewModel, type RunProgressView } from './model';

/** Extension → webview. */
export type ToWebview =
  /** Draw this model (replaces what is shown). */
  | { readonly type: 'show'; readonly model: ResultsViewModel }
  /** An experiment run from the editor is going on (progress), or has ended (no progress). */
  | { readonly type: 'progress'; readonly progress?: RunProgressView }
  /** Send the chart as PNG: the webview answers with `exportPng`. */
  | { readonly type: 'requestPng'; readonly chartId: string };

/** Webview → extension. */
export type FromWebview =
  /** The webview's script runs and listens: send it the model (again, after it was hidden). */
  | { readonly type: 'ready' }
  | { readonly type: 'selectExperiment'; readonly name: string }
  | { readonly type: 'selectRun'; readonly runId: string }
  /** Save a chart: `dataUrl` is `canvas.toDataURL('image/png')`. */
  | { readonly type: 'exportPng'; readonly chartId: string; readonly dataUrl: string }
  /** Save the raw values of the shown run as CSV. */
  | { readonly type: 'exportCsv' }
  /** Save a report of the shown run: Markdown (+ SVG charts beside it) or one HTML file. */
  | { readonly type: 'exportReport'; readonly format: 'md' | 'html' }
  /** Run the experiment (the same as "QEMU Lab: Run Experiment" on it). */
  | { readonly type: 'runExperiment'; readonly name: string }
  /** Something went wrong in the webview: for the extension's log. */
  | { readonly type: 'log'; readonly level: 'warn' | 'error'; readonly message: string };

/** The type names of each direction. */
export type ToWebviewType = ToWebview['type'];
export type FromWebviewType = FromWebview['type'];

/** Extension → live migration panel. */
export type ToMigrationWebview =
  /** Draw this model (replaces what is shown; sent again as the migration goes on). */
  { readonly type: 'migration'; readonly model: MigrationViewModel };

/** Live migration panel → extension. */
export type FromMigrationWebview =
  /** The script runs and listens: send the model (again, after the panel was hidden). */
  | { readonly type: 'ready' }
  /** The panel's Cancel: `migrate_cancel` and a rollback, as the notification's Cancel. */
  | { readonly type: 'cancelMigration' }
  /** Something went wrong in the webview: for the extension's log. */
  | { readonly type: 'log'; readonly level: 'warn' | 'error'; readonly message: string };

/** The type names of each direction of the migration panel. */
export type ToMigrationWebviewType = ToMigrationWebview['type'];
export type FromMigrationWebviewType = FromMigrationWebview['type'];

/** Extension → COLO status panel. */
export type ToColoWebview =
  /** Draw this model (replaces what is shown; sent again whenever the pair is read). */
  { readonly type: 'colo'; readonly model: ColoViewModel };

/** COLO status panel → extension. */
export type FromColoWebview =
  /** The script runs and listens: send the model (again, after the panel was hidden). */
  | { readonly type: 'ready' }
  /** Read the pair again now. */
  | { readonly type: 'refresh' }
  /** "Fail Over": the same as "QEMU Lab: COLO Fail Over" on the panel's VM (it asks which way). */
  | { readonly type: 'failOver' }
  /** Something went wrong in the webview: for the extension's log. */
  | { readonly type: 'log'; readonly level: 'warn' | 'error'; readonly message: string };

/** The type names of each direction of the COLO panel. */
export type ToColoWebviewType = ToColoWebview['type'];
export type FromColoWebviewType = FromColoWebview['type'];

/** The prefix of the only data URLs `exportPng` may carry. */
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** Longest text accepted in a message field other than a data URL (names, ids, log lines). */
const MAX_TEXT = 10_000;
/** Largest PNG data URL accepted: 32 MiB of base64, far beyond any chart. */
const MAX_DATA_URL = 32 * 1024 * 1024;

const isText: Check<string> = (value): value is string => isString(value) && value.length <= MAX_TEXT;
const isNonEmptyText: Check<string> = (value): value is string => isText(value) && value.length > 0;
const isPngDataUrl: Check<string> = (value): value is string =>
  isString(value) && value.length <= MAX_DATA_URL && value.startsWith(PNG_DATA_URL_PREFIX) && /^[A-Za-z0-9+/]*={0,2}$/.test(value.slice(PNG_DATA_URL_PREFIX.length));

/**
 * The check of each message type. The table's type ties each check to its member of the union,
 * so a field added to a message and not checked here does not compile.
 */
const fromWebviewChecks: { readonly [K in FromWebviewType]: Check<Extract<FromWebview, { readonly type: K }>> } = {
  ready: objectOf({ type: oneOf('ready') }),
  selectExperiment: objectOf({ type: oneOf('selectExperiment'), name: isNonEmptyText }),
  selectRun: objectOf({ type: oneOf('selectRun'), runId: isNonEmptyText }),
  exportPng: objectOf({ type: oneOf('exportPng'), chartId: isNonEmptyText, dataUrl: isPngDataUrl }),
  exportCsv: objectOf({ type: oneOf('exportCsv') }),
  exportReport: objectOf({ type: oneOf('exportReport'), format: oneOf('md', 'html') }),
  runExperiment: objectOf({ type: oneOf('runExperiment'), name: isNonEmptyText }),
  log: objectOf({ type: oneOf('log'), level: oneOf('warn', 'error'), message: isText }),
};

const toWebviewChecks: { readonly [K in ToWebviewType]: Check<Extract<ToWebview, { readonly type: K }>> } = {
  show: objectOf({ type: oneOf('show'), model: isResultsViewModel }),
  progress: objectOf({ type: oneOf('progress'), progress: optional(isRunProgressView) }),
  requestPng: objectOf({ type: oneOf('requestPng'), chartId: isNonEmptyText }),
};

const toMigrationWebviewChecks: { readonly [K in ToMigrationWebviewType]: Check<Extract<ToMigrationWebview, { readonly type: K }>> } = {
  migration: objectOf({ type: oneOf('migration'), model: isMigrationViewModel }),
};

const fromMigrationWebviewChecks: { readonly [K in FromMigrationWebviewType]: Check<Extract<FromMigrationWebview, { readonly type: K }>> } = {
  ready: objectOf({ type: oneOf('ready') }),
  cancelMigration: objectOf({ type: oneOf('cancelMigration') }),
  log: objectOf({ type: oneOf('log'), level: oneOf('warn', 'error'), message: isText }),
};

const toColoWebviewChecks: { readonly [K in ToColoWebviewType]: Check<Extract<ToColoWebview, { readonly type: K }>> } = {
  colo: objectOf({ type: oneOf('colo'), model: isColoViewModel }),
};

const fromColoWebviewChecks: { readonly [K in FromColoWebviewType]: Check<Extract<FromColoWebview, { readonly type: K }>> } = {
  ready: objectOf({ type: oneOf('ready') }),
  refresh: objectOf({ type: oneOf('refresh') }),
  failOver: objectOf({ type: oneOf('failOver') }),
  log: objectOf({ type: oneOf('log'), level: oneOf('warn', 'error'), message: isText }),
};

function isKey<T extends object>(table: T, key: unknown): key is keyof T {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);
}

/** Whether a value is a well-formed {@link FromWebview} message. */
export function isFromWebview(value: unknown): value is FromWebview {
  return isRecord(value) && isKey(fromWebviewChecks, value.type) && fromWebviewChecks[value.type](value);
}

/** Whether a value is a well-formed {@link ToWebview} message. */
export function isToWebview(value: unknown): value is ToWebview {
  return isRecord(value) && isKey(toWebviewChecks, value.type) && toWebviewChecks[value.type](value);
}

/** Whether a value is a well-formed {@link ToMigrationWebview} message. */
export function isToMigrationWebview(value: unknown): value is ToMigrationWebview {
  return isRecord(value) && isKey(toMigrationWebviewChecks, value.type) && toMigrationWebviewChecks[value.type](value);
}

/** Whether a value is a well-formed {@link FromMigrationWebview} message. */
export function isFromMigrationWebview(value: unknown): value is FromMigrationWebview {
  return isRecord(value) && isKey(fromMigrationWebviewChecks, value.type) && fromMigrationWebviewChecks[value.type](value);
}

/** Whether a value is a well-formed {@link ToColoWebview} message. */
export function isToColoWebview(value: unknown): value is ToColoWebview {
  return isRecord(value) && isKey(toColoWebviewChecks, value.type) && toColoWebviewChecks[value.type](value);
}

/** Whether a value is a well-formed {@link FromColoWebview} message. */
export function isFromColoWebview(value: unknown): value is FromColoWebview {
  return isRecord(value) && isKey(fromColoWebviewChecks, value.type) && fromColoWebviewChecks[value.type](value);
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
 * One side's end of the channel: checks what arrives, hands well-formed messages to `handler`,
 * and sends typed messages with `postMessage`. It needs nothing of VS Code: the panel passes
 * `webview.postMessage`, the webview passes `acquireVsCodeApi().postMessage`, tests pass arrays.
 * A malformed message, a handler that throws (or rejects) and a post that fails are logged
 * through `log`; none of them escapes.
 */
export class MessageHandler<TIn extends { readonly type: string }, TOut> {
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

/** The extension's end: receives {@link FromWebview}, sends {@link ToWebview}. */
export function extensionEndpoint(
  handler: (message: FromWebview) => void | Promise<void>,
  postMessage: (message: ToWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<FromWebview, ToWebview> {
  return new MessageHandler(handler, postMessage, isFromWebview, log);
}

/** The webview's end: receives {@link ToWebview}, sends {@link FromWebview}. */
export function webviewEndpoint(
  handler: (message: ToWebview) => void | Promise<void>,
  postMessage: (message: FromWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<ToWebview, FromWebview> {
  return new MessageHandler(handler, postMessage, isToWebview, log);
}

/** The migration panel's extension end: receives {@link FromMigrationWebview}, sends {@link ToMigrationWebview}. */
export function migrationExtensionEndpoint(
  handler: (message: FromMigrationWebview) => void | Promise<void>,
  postMessage: (message: ToMigrationWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<FromMigrationWebview, ToMigrationWebview> {
  return new MessageHandler(handler, postMessage, isFromMigrationWebview, log);
}

/** The migration panel's webview end: receives {@link ToMigrationWebview}, sends {@link FromMigrationWebview}. */
export function migrationWebviewEndpoint(
  handler: (message: ToMigrationWebview) => void | Promise<void>,
  postMessage: (message: FromMigrationWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<ToMigrationWebview, FromMigrationWebview> {
  return new MessageHandler(handler, postMessage, isToMigrationWebview, log);
}

/** The COLO panel's extension end: receives {@link FromColoWebview}, sends {@link ToColoWebview}. */
export function coloExtensionEndpoint(
  handler: (message: FromColoWebview) => void | Promise<void>,
  postMessage: (message: ToColoWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<FromColoWebview, ToColoWebview> {
  return new MessageHandler(handler, postMessage, isFromColoWebview, log);
}

/** The COLO panel's webview end: receives {@link ToColoWebview}, sends {@link FromColoWebview}. */
export function coloWebviewEndpoint(
  handler: (message: ToColoWebview) => void | Promise<void>,
  postMessage: (message: FromColoWebview) => unknown,
  log?: (problem: string) => void,
): MessageHandler<ToColoWebview, FromColoWebview> {
  return new MessageHandler(handler, postMessage, isToColoWebview, log);
}
