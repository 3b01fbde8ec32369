/**
 * The quick fix's edit that adds an entry to a section (`hosts:`, `networks:`, `vms:`) for a name
 * used but never defined: core/lab/add-entry.ts decides where and how, this gives it the keys a
 * new entry of each section starts with and makes it an LSP edit.
 */
import type { TextEdit } from 'vscode-languageserver';
import { addEntry } from '../core/lab/add-entry';
import type { LabAnalysis } from './lab-analysis';
import type { NamedSection } from './lab-schema';

/** The keys of a new entry of each section, as `key: value`. */
const NEW_ENTRY_BODIES: Readonly<Record<NamedSection, (name: string) => readonly string[]>> = {
  hosts: (name) => ['kind: ssh', `address: ${name}`],
  networks: () => ['bridge: br0'],
  vms: () => ['memory: 1G'],
};

/** An edit adding entry `name` to `section`; `undefined` when the file's shape leaves no sure place for it. */
export function addEntryEdit(analysis: LabAnalysis, section: NamedSection, name: string): TextEdit | undefined {
  const added = addEntry(analysis, section, name, NEW_ENTRY_BODIES[section](name));
  return added === undefined ? undefined : { range: analysis.rangeOfOffsets(added.start, added.end), newText: added.newText };
}
