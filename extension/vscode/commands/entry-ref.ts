import { entryRefOf, type LabSectionKind } from '../../presentation/tree/lab-nodes';

/** How the language server's CodeLens names an entry (a command's arguments there are JSON). */
export type EntryRefKind = 'experimentRef' | 'migrationRef';

/** A lab file's entry, by its lab file and name. */
export interface NamedEntry {
  readonly labPath: string;
  readonly name: string;
}

/**
 * The entry a command was given: a CodeLens's `{ kind, labPath, name }`, or a row of the "Lab"
 * view's `section`; undefined for anything else (the command then asks).
 */
export function namedEntryOf(argument: unknown, kind: EntryRefKind, section: LabSectionKind): NamedEntry | undefined {
  const row = entryRefOf(argument, section);
  if (row !== undefined) return row;
  if (typeof argument !== 'object' || argument === null) return undefined;
  const ref = argument as { kind?: unknown; labPath?: unknown; name?: unknown };
  return ref.kind === kind && typeof ref.labPath === 'string' && typeof ref.name === 'string' ? { labPath: ref.labPath, name: ref.name } : undefined;
}
