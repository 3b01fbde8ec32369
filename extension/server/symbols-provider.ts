/**
 * The outline of a lab file: its sections, and under each the entries by name.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { LabMapEntry } from '../core/lab/tree';
import { mapEntries } from '../core/lab/tree-path';
import type { LabAnalysis } from './lab-analysis';

const ENTRY_KINDS: Readonly<Record<string, { readonly kind: SymbolKind; readonly detail: string }>> = {
  hosts: { kind: SymbolKind.Object, detail: 'host' },
  networks: { kind: SymbolKind.Interface, detail: 'network' },
  vms: { kind: SymbolKind.Class, detail: 'VM' },
  experiments: { kind: SymbolKind.Function, detail: 'experiment' },
  migrations: { kind: SymbolKind.Event, detail: 'migration' },
};

/** Sections → entries, in file order; nothing when no tree can be read from the text. */
export function documentSymbols(analysis: LabAnalysis): DocumentSymbol[] {
  const root = analysis.tree;
  if (root?.kind !== 'map') return [];
  return root.entries.map((section) => {
    const { kind, detail } = ENTRY_KINDS[section.key] ?? { kind: SymbolKind.Field, detail: section.key };
    const own = mapEntries(section.value).filter((entry) => entry.keySpan.offset > section.keySpan.offset);
    const ends = own.map((entry) => entryEnd(analysis.text, entry));
    const children = own.map((entry, i) => symbol(analysis, entry, kind, detail, [], ends[i] ?? entry.keySpan.endOffset));
    return symbol(analysis, section, SymbolKind.Namespace, 'section', children, Math.max(entryEnd(analysis.text, section), ...ends));
  });
}

function symbol(analysis: LabAnalysis, entry: LabMapEntry, kind: SymbolKind, detail: string, children: DocumentSymbol[], end: number): DocumentSymbol {
  return {
    name: entry.key === '' ? '""' : entry.key,
    detail,
    kind,
    range: analysis.rangeOfOffsets(entry.keySpan.offset, end),
    selectionRange: analysis.rangeOf(entry.keySpan),
    children,
  };
}

/**
 * Where an entry ends: its value's last character (a block mapping's span runs on to the next
 * line), or its key's end when the value is an alias to a node written before it.
 */
function entryEnd(text: string, entry: LabMapEntry): number {
  const { keySpan, value } = entry;
  if (value.span.offset < keySpan.offset) return keySpan.endOffset;
  let end = Math.max(value.span.endOffset, keySpan.endOffset);
  while (end > keySpan.endOffset && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}
