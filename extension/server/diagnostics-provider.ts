/**
 * Diagnostics of a lab document: everything `qemu-lab check` reports (same parser, validator and
 * codes, so the editor and the CLI always agree), plus the checks that need host knowledge, from
 * the last probe of each host.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { LabDiagnostic } from '../core/lab/diagnostic';
import { guarded, type ErrorLog } from './guard';
import { hostDiagnostics, type HostDiagnostic } from './host-diagnostics';
import { LabAnalysis } from './lab-analysis';

/**
 * One lab or host diagnostic as an LSP diagnostic. `range` defaults to the span's lines and
 * columns (LSP counts from 0); pass the range computed from the span's offsets by the document
 * to count line breaks as the editor does (a lone `\r` is one to an editor, not to the parser).
 */
export function toLspDiagnostic(diagnostic: LabDiagnostic | HostDiagnostic, range?: Range): Diagnostic {
  const { span } = diagnostic;
  return {
    range: range ?? {
      start: { line: span.line - 1, character: span.column - 1 },
      end: { line: span.endLine - 1, character: span.endColumn - 1 },
    },
    severity: diagnostic.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: diagnostic.code,
    source: 'qemu-lab',
    message: diagnostic.message,
    ...(diagnostic.data === undefined ? {} : { data: diagnostic.data }),
  };
}

/** The lab's diagnostics, then (when there is a model) those of the host checks, in file order. */
export function labDiagnostics(
  analysis: LabAnalysis,
  capabilitiesByHost: ReadonlyMap<string, HostCapabilities>,
  log: ErrorLog = { error: () => undefined },
): Diagnostic[] {
  const { lab, diagnostics } = analysis.parse;
  const convert = (diagnostic: LabDiagnostic | HostDiagnostic): Diagnostic => toLspDiagnostic(diagnostic, analysis.rangeOf(diagnostic.span));
  const found = diagnostics.map(convert);
  if (lab === undefined || capabilitiesByHost.size === 0) return found;
  const onHosts = guarded(log, 'host checks', [], () => hostDiagnostics(lab, capabilitiesByHost, analysis.tree).map(convert));
  return [...found, ...onHosts].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** Diagnostics for the text of document `uri`, with host checks from `capabilitiesByHost`. */
export function diagnosticsForDocument(uri: string, text: string, capabilitiesByHost: ReadonlyMap<string, HostCapabilities> = new Map()): Diagnostic[] {
  return labDiagnostics(new LabAnalysis(TextDocument.create(uri, 'qemu-lab', 0, text)), capabilitiesByHost);
}
