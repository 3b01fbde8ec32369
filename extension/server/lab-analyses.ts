import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LabAnalysis } from './lab-analysis';

/**
 * The analysis of the current version of each open lab document, so diagnostics, completion,
 * hover and the rest of one version share one reading of the text.
 */
export class LabAnalyses {
  private readonly byUri = new Map<string, LabAnalysis>();

  /** The analysis of `document` as it is now. */
  of(document: TextDocument): LabAnalysis {
    const cached = this.byUri.get(document.uri);
    if (cached !== undefined && cached.version === document.version && cached.text === document.getText()) return cached;
    const fresh = new LabAnalysis(document);
    this.byUri.set(document.uri, fresh);
    return fresh;
  }

  /** Drops the analysis of a closed document. */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
