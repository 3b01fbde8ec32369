/**
 * The messages between a VM's screen panel (extension host) and its webview, one discriminated
 * union per direction, imported by both sides; the envelope is shared (webview/shared/protocol.ts).
 *
 * The screen's RFB bytes travel in these messages as byte arrays (VS Code posts them without
 * JSON), rather than through a WebSocket server on 127.0.0.1: no port is opened on the machine
 * (anything local could try one), so there is no token to guard it, and the webview's
 * Content-Security-Policy keeps `connect-src` at none. Only this panel's webview can post to it.
 *
 * Each connection is a numbered session: bytes of an earlier connection (in flight when the user
 * reconnected) are dropped on both sides instead of being read as part of the new one.
 */
import { isRecord, objectOf, oneOf, type Check } from '../shared/guards';
import { isLogMessage, isNonEmptyText, isReadyMessage, isText, messageCheck, type LogMessage, type PanelProtocol, type ReadyMessage } from '../shared/protocol';

/** The largest byte array a message may carry: 1 MiB (the relay's MAX_SCREEN_CHUNK). */
export const MAX_SCREEN_MESSAGE_BYTES = 1024 * 1024;

/** Which VM the panel shows: what the header says, and what a reload finds it again by. */
export interface ScreenTarget {
  readonly labPath: string;
  readonly vmName: string;
  readonly host: string;
}

/** A session number: a positive safe integer, one per connection. */
export const isSession: Check<number> = (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** A byte array of at most {@link MAX_SCREEN_MESSAGE_BYTES}. */
export const isScreenBytes: Check<Uint8Array> = (value): value is Uint8Array => value instanceof Uint8Array && value.byteLength <= MAX_SCREEN_MESSAGE_BYTES;

/** Whether a value is a {@link ScreenTarget}. */
export const isScreenTarget: Check<ScreenTarget> = objectOf({ labPath: isNonEmptyText, vmName: isNonEmptyText, host: isNonEmptyText });

/** Extension → screen panel. */
export type ToScreenWebview =
  /** The VM shown (sent on `ready`). */
  | { readonly type: 'target'; readonly target: ScreenTarget }
  /** Session `session` is connected to the VM's VNC server: start RFB. */
  | { readonly type: 'opened'; readonly session: number }
  /** Bytes from the VM's VNC server, in order. */
  | { readonly type: 'data'; readonly session: number; readonly bytes: Uint8Array }
  /** Session `session` ended (or never opened): why, for the user. */
  | { readonly type: 'closed'; readonly session: number; readonly reason: string };

/** Screen panel → extension. */
export type FromScreenWebview =
  | ReadyMessage
  /** Connect to the VM's screen (again): a new session, the old one closed. */
  | { readonly type: 'connect' }
  /** Bytes for the VM's VNC server (keys, pointer, update requests). */
  | { readonly type: 'data'; readonly session: number; readonly bytes: Uint8Array }
  /** The viewer is done with session `session`. */
  | { readonly type: 'disconnect'; readonly session: number }
  | LogMessage;

/** Whether a value is a well-formed {@link ToScreenWebview} message. */
export const isToScreenWebview = messageCheck<ToScreenWebview>({
  target: objectOf({ type: oneOf('target'), target: isScreenTarget }),
  opened: objectOf({ type: oneOf('opened'), session: isSession }),
  data: objectOf({ type: oneOf('data'), session: isSession, bytes: isScreenBytes }),
  closed: objectOf({ type: oneOf('closed'), session: isSession, reason: isText }),
});

/** Whether a value is a well-formed {@link FromScreenWebview} message. */
export const isFromScreenWebview = messageCheck<FromScreenWebview>({
  ready: isReadyMessage,
  connect: objectOf({ type: oneOf('connect') }),
  data: objectOf({ type: oneOf('data'), session: isSession, bytes: isScreenBytes }),
  disconnect: objectOf({ type: oneOf('disconnect'), session: isSession }),
  log: isLogMessage,
});

/** The screen panel's protocol, for its two endpoints. */
export const SCREEN_PROTOCOL: PanelProtocol<ToScreenWebview, FromScreenWebview> = { isToWebview: isToScreenWebview, isFromWebview: isFromScreenWebview };

/** What the webview keeps with `setState`: the VM it shows (a reload finds it again by this). */
export interface ScreenPanelState {
  readonly target?: ScreenTarget;
}

/** The state from what `getState` returned. */
export function screenPanelState(saved: unknown): ScreenPanelState {
  return isRecord(saved) && isScreenTarget(saved.target) ? { target: saved.target } : {};
}
