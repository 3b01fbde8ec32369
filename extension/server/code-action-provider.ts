/**
 * Quick fixes for the lab file's diagnostics: "Use tcg here" where KVM is not usable, "Did you
 * mean …?" from a diagnostic's suggestion, and "Add host …" (or network, or VM) for a name used
 * but never defined.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { NAME_PATTERN } from '../core/lab/vocabulary';
import { addEntryEdit } from './add-entry-edit';
import type { LabAnalysis } from './lab-analysis';
import type { NamedSection } from './lab-schema';

/** Codes whose suggestion is a correction of a misspelling. */
const MISSPELLINGS = new Set(['unknown-key', 'unknown-value', 'undefined-host', 'undefined-network', 'undefined-vm', 'nic-not-offered']);

/** The section defining the names each "undefined" code is about, and the noun for it. */
const UNDEFINED: Readonly<Record<string, { readonly section: NamedSection; readonly noun: string }>> = {
  'undefined-host': { section: 'hosts', noun: 'host' },
  'undefined-network': { section: 'networks', noun: 'network' },
  'undefined-vm': { section: 'vms', noun: 'VM' },
};

/** Quick fixes for `diagnostics` (those the client says are in the requested range). */
export function codeActionsFor(analysis: LabAnalysis, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'qemu-lab') continue;
    const data = isRecord(diagnostic.data) ? diagnostic.data : {};
    const fix = (title: string, newText: string, preferred: boolean): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: preferred,
      edit: { changes: { [uri]: [{ range: diagnostic.range, newText }] } },
    });
    if (data.fix === 'use-tcg') actions.push(fix('Use tcg here', 'tcg', true));
    if (typeof data.suggestion === 'string' && data.suggestion !== '') {
      const code = String(diagnostic.code ?? '');
      const title = MISSPELLINGS.has(code) ? `Did you mean "${data.suggestion}"?` : `Change to ${data.suggestion}`;
      actions.push(fix(title, data.suggestion, true));
    }
    const undefinedName = UNDEFINED[String(diagnostic.code ?? '')];
    if (undefinedName !== undefined) {
      const name = unquote(analysis.document.getText(diagnostic.range));
      const edit = NAME_PATTERN.test(name) ? addEntryEdit(analysis, undefinedName.section, name) : undefined;
      if (edit !== undefined) {
        actions.push({
          title: `Add ${undefinedName.noun} "${name}" under ${undefinedName.section}:`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: typeof data.suggestion !== 'string',
          edit: { changes: { [uri]: [edit] } },
        });
      }
    }
  }
  return actions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
