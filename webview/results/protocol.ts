/**
 * The messages between the results panel (extension host) and its webview, one discriminated
 * union per direction, imported by both sides; the envelope, `ready`, `log` and the text checks
 * are shared (webview/shared/protocol.ts). Everything received is checked by shape
 * ({@link isToResultsWebview}, {@link isFromResultsWebview}) before it is handled.
 */
import { objectOf, oneOf, optional } from '../shared/guards';
import {
  isLogMessage,
  isNonEmptyText,
  isPngDataUrl,
  isReadyMessage,
  messageCheck,
  type LogMessage,
  type PanelProtocol,
  type ReadyMessage,
} from '../shared/protocol';
import { isResultsViewModel, isRunProgressView, type ResultsViewModel, type RunProgressView } from './model';

/** Extension → webview. */
export type ToResultsWebview =
  /** Draw this model (replaces what is shown). */
  | { readonly type: 'show'; readonly model: ResultsViewModel }
  /** An experiment run from the editor is going on (progress), or has ended (no progress). */
  | { readonly type: 'progress'; readonly progress?: RunProgressView }
  /** Send the chart as PNG: the webview answers with `exportPng`. */
  | { readonly type: 'requestPng'; readonly chartId: string };

/** Webview → extension. */
export type FromResultsWebview =
  | ReadyMessage
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
  | LogMessage;

/** Whether a value is a well-formed {@link FromResultsWebview} message. */
export const isFromResultsWebview = messageCheck<FromResultsWebview>({
  ready: isReadyMessage,
  selectExperiment: objectOf({ type: oneOf('selectExperiment'), name: isNonEmptyText }),
  selectRun: objectOf({ type: oneOf('selectRun'), runId: isNonEmptyText }),
  exportPng: objectOf({ type: oneOf('exportPng'), chartId: isNonEmptyText, dataUrl: isPngDataUrl }),
  exportCsv: objectOf({ type: oneOf('exportCsv') }),
  exportReport: objectOf({ type: oneOf('exportReport'), format: oneOf('md', 'html') }),
  runExperiment: objectOf({ type: oneOf('runExperiment'), name: isNonEmptyText }),
  log: isLogMessage,
});

/** Whether a value is a well-formed {@link ToResultsWebview} message. */
export const isToResultsWebview = messageCheck<ToResultsWebview>({
  show: objectOf({ type: oneOf('show'), model: isResultsViewModel }),
  progress: objectOf({ type: oneOf('progress'), progress: optional(isRunProgressView) }),
  requestPng: objectOf({ type: oneOf('requestPng'), chartId: isNonEmptyText }),
});

/** The results panel's protocol, for its two endpoints. */
export const RESULTS_PROTOCOL: PanelProtocol<ToResultsWebview, FromResultsWebview> = { isToWebview: isToResultsWebview, isFromWebview: isFromResultsWebview };
