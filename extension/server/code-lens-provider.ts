/**
 * Code lenses over a lab file's entries: "Boot" over each VM, "Run" over each experiment,
 * "Migrate" over each migration. A lens appears only when the editor said (in its
 * initialization options) that it has the lens's command, so no lens ever points at nothing.
 */
import type { CodeLens } from 'vscode-languageserver';
import { mapEntries, mapEntry } from '../core/lab/tree-path';
import { NAME_PATTERN } from '../core/lab/vocabulary';
import type { LabAnalysis } from './lab-analysis';
import { LENS_COMMANDS } from './protocol';

/** The lenses of a lab file, for the commands in `available`. */
export function codeLenses(analysis: LabAnalysis, available: ReadonlySet<string>): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const lens of LENS_COMMANDS) {
    if (!available.has(lens.command)) continue;
    for (const entry of mapEntries(mapEntry(analysis.tree, lens.section)?.value)) {
      if (!NAME_PATTERN.test(entry.key)) continue;
      lenses.push({
        range: analysis.rangeOf(entry.keySpan),
        command: { title: lens.title, command: lens.command, arguments: [lens.argument(analysis.path, entry.key)] },
      });
    }
  }
  return lenses.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
