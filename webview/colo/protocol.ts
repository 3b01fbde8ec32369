/**
 * The messages between the COLO status panel (extension host) and its webview, one
 * discriminated union per direction, imported by both sides; the envelope is shared
 * (webview/shared/protocol.ts).
 */
import { objectOf, oneOf } from '../shared/guards';
import { isLogMessage, isReadyMessage, messageCheck, type LogMessage, type PanelProtocol, type ReadyMessage } from '../shared/protocol';
import { isColoViewModel, type ColoViewModel } from './model';

/** Extension → COLO status panel. */
export type ToColoWebview =
  /** Draw this model (replaces what is shown; sent again whenever the pair is read). */
  { readonly type: 'colo'; readonly model: ColoViewModel };

/** COLO status panel → extension. */
export type FromColoWebview =
  | ReadyMessage
  /** Read the pair again now. */
  | { readonly type: 'refresh' }
  /** "Fail Over": the same as "QEMU Lab: COLO Fail Over" on the panel's VM (it asks which way). */
  | { readonly type: 'failOver' }
  | LogMessage;

/** Whether a value is a well-formed {@link ToColoWebview} message. */
export const isToColoWebview = messageCheck<ToColoWebview>({
  colo: objectOf({ type: oneOf('colo'), model: isColoViewModel }),
});

/** Whether a value is a well-formed {@link FromColoWebview} message. */
export const isFromColoWebview = messageCheck<FromColoWebview>({
  ready: isReadyMessage,
  refresh: objectOf({ type: oneOf('refresh') }),
  failOver: objectOf({ type: oneOf('failOver') }),
  log: isLogMessage,
});

/** The COLO panel's protocol, for its two endpoints. */
export const COLO_PROTOCOL: PanelProtocol<ToColoWebview, FromColoWebview> = { isToWebview: isToColoWebview, isFromWebview: isFromColoWebview };
