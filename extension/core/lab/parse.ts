/**
 * The lab-file parser: text in, model and diagnostics out, for any text whatsoever.
 */
import { DiagnosticCollector, inFileOrder, type LabDiagnostic } from './diagnostic';
import type { LabModel } from './model';
import { readYamlTree } from './read-yaml';
import { FILE_START, lineCounterFor } from './span';
import { validateLab } from './validate';

/** A parsed lab file: the model (unless errors prevent building one) and every problem found. */
export interface LabParseResult {
  /**
   * The lab with defaults filled in and host `local` always present; `undefined` when the text is
   * not a usable YAML mapping. When `diagnostics` hold errors the model is best effort: show it, never run it.
   */
  readonly lab: LabModel | undefined;
  /** Problems, in file order. */
  readonly diagnostics: LabDiagnostic[];
}

/**
 * Parses and validates the text of a lab file. `path` is reported in diagnostics and kept in the
 * model. Never throws: an unexpected failure becomes an `internal-error` diagnostic.
 */
export function parseLabText(text: string, path: string): LabParseResult {
  const diagnostics = new DiagnosticCollector(path);
  let lab: LabModel | undefined;
  try {
    const source = typeof text === 'string' ? text : String(text);
    const read = readYamlTree(source, lineCounterFor(source), diagnostics);
    lab = read.usable ? validateLab(read.root, path, diagnostics) : undefined;
  } catch (error) {
    lab = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    diagnostics.error('internal-error', FILE_START, `QEMU Lab could not read this file (${reason}); please report it with the file attached`);
  }
  return { lab, diagnostics: inFileOrder(diagnostics.diagnostics) };
}

