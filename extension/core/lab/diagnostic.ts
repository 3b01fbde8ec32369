/**
 * Problems found in a lab file, each located at the offending key or value. The CLI prints them
 * as `path:line:col: error: message`; the language server turns them into editor diagnostics
 * and uses {@link LabDiagnostic.data} for quick fixes.
 */
import type { SourceSpan } from './model';

/** `error`: the lab cannot run as written. `warning`: legal, but probably not what was meant. */
export type LabDiagnosticSeverity = 'error' | 'warning';

/**
 * Stable identifiers of every problem the parser and validator report. Editors and tests key on
 * these; never rename one, add a new one instead.
 */
export type LabDiagnosticCode =
  // The text itself.
  | 'file-not-found'
  | 'file-unreadable'
  | 'file-too-large'
  | 'not-text'
  | 'too-deep'
  | 'too-many-aliases'
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'multiple-documents'
  | 'undefined-alias'
  | 'alias-cycle'
  | 'alias-bomb'
  | 'empty-file'
  | 'internal-error'
  // Shapes and values.
  | 'not-a-mapping'
  | 'unknown-key'
  | 'duplicate-key'
  | 'duplicate-name'
  | 'wrong-type'
  | 'missing-key'
  | 'empty-value'
  | 'empty-list'
  | 'duplicate-item'
  | 'invalid-name'
  | 'reserved-name'
  | 'unknown-value'
  | 'out-of-range'
  | 'suspicious-value'
  | 'bad-size'
  | 'bad-bandwidth'
  | 'bad-duration'
  | 'bad-snapshot-name'
  | 'invalid-nic'
  | 'invalid-bridge'
  | 'invalid-user'
  | 'bad-address'
  | 'invalid-qemu'
  | 'bad-uri'
  | 'backend-mismatch'
  | 'ignored-key'
  | 'adopted-domain-key'
  | 'adopted-domain-host'
  | 'adopted-domain-feature'
  // References between entries.
  | 'undefined-host'
  | 'undefined-network'
  | 'undefined-vm'
  | 'address-without-bridge'
  | 'missing-address'
  | 'duplicate-address'
  | 'address-outside-network'
  | 'same-host'
  | 'duplicate-ssh-port';

/** One problem in a lab file. */
export interface LabDiagnostic {
  /** The lab file, as given to the parser. */
  readonly path: string;
  readonly severity: LabDiagnosticSeverity;
  /** What is wrong and what to do about it, as one or two short sentences. */
  readonly message: string;
  readonly code: LabDiagnosticCode;
  /** The offending key or value. */
  readonly span: SourceSpan;
  /** `suggestion`: text that could replace the span (a "did you mean" fix). */
  readonly data?: { readonly suggestion?: string };
}

/** `path:line:col: error: message`, the form compilers use and editors link. */
export function formatDiagnostic(diagnostic: LabDiagnostic): string {
  const { path, span, severity, message } = diagnostic;
  return `${path}:${span.line}:${span.column}: ${severity}: ${message}`;
}

/** Whether any diagnostic is an error; a lab with errors must not be run. */
export function hasErrors(diagnostics: readonly LabDiagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** Collects the diagnostics of one lab file. */
export class DiagnosticCollector {
  private readonly found: LabDiagnostic[] = [];

  constructor(readonly path: string) {}

  /** Everything reported so far, in the order reported. */
  get diagnostics(): readonly LabDiagnostic[] {
    return this.found;
  }

  /** Reports an error; `suggestion` is text that could replace `span`. */
  error(code: LabDiagnosticCode, span: SourceSpan, message: string, suggestion?: string): void {
    this.add('error', code, span, message, suggestion);
  }

  /** Reports a warning; `suggestion` is text that could replace `span`. */
  warning(code: LabDiagnosticCode, span: SourceSpan, message: string, suggestion?: string): void {
    this.add('warning', code, span, message, suggestion);
  }

  private add(
    severity: LabDiagnosticSeverity,
    code: LabDiagnosticCode,
    span: SourceSpan,
    message: string,
    suggestion: string | undefined,
  ): void {
    const diagnostic: LabDiagnostic = { path: this.path, severity, message, code, span };
    this.found.push(suggestion === undefined ? diagnostic : { ...diagnostic, data: { suggestion } });
  }
}

/** Sorted by position (stable), without repeats: a merged anchor's problem is reported once. */
export function inFileOrder(diagnostics: readonly LabDiagnostic[]): LabDiagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((diagnostic) => {
    const key = `${diagnostic.span.offset}:${diagnostic.span.endOffset}:${diagnostic.code}:${diagnostic.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.span.offset - b.span.offset);
}
