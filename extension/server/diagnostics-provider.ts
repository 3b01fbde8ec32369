import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { LabDiagnostic } from '../core/lab/diagnostic';
import { parseLabText } from '../core/lab/parse';

/** The path a lab diagnostic names for a document URI: the file path for `file:` URIs. */
export function labPathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** One lab diagnostic as an LSP diagnostic (LSP counts lines and columns from 0). */
export function toLspDiagnostic(diagnostic: LabDiagnostic): Diagnostic {
  const { span } = diagnostic;
  return {
    range: {
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

/**
 * Diagnostics for a lab document: exactly what `qemu-lab check` reports, from the same parser
 * and validator, so the editor and the CLI always agree.
 */
export function diagnosticsForDocument(uri: string, text: string): Diagnostic[] {
  return parseLabText(text, labPathOf(uri)).diagnostics.map(toLspDiagnostic);
}
