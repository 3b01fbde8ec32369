/**
 * Reading a top-level section (`hosts:`, `vms:`, …): a mapping of names to entries. Checks the
 * section's shape, each name, and that no name is defined twice.
 */
import type { SourceSpan } from './model';
import type { DiagnosticCollector } from './diagnostic';
import type { MapReader } from './fields';
import type { LabMap } from './tree';
import { NAME_MAX_LENGTH, NAME_PATTERN, type SectionKey } from './vocabulary';
import { describeNode, quote } from './wording';

/** One entry of a section whose name is valid and whose body is a mapping (`name:` alone reads as `{}`). */
export interface NamedEntry {
  readonly name: string;
  /** Where the name is written; the model's `span`. */
  readonly span: SourceSpan;
  readonly body: LabMap;
}

/** A section's usable entries, and every name it defines (usable or not) for resolving references. */
export interface SectionEntries {
  readonly entries: readonly NamedEntry[];
  readonly declared: ReadonlySet<string>;
}

/**
 * Reads section `key` of the lab file. `noun` names one entry in messages (`VM`, `host`);
 * `example` is one entry, name and body, for messages about shapes.
 */
export function readSection(
  root: MapReader,
  key: SectionKey,
  noun: string,
  example: { readonly name: string; readonly body: string },
): SectionEntries {
  const { diagnostics } = root;
  const node = root.node(key);
  const declared = new Set<string>();
  const entries: NamedEntry[] = [];
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return { entries, declared };
  if (node.kind !== 'map') {
    diagnostics.error(
      'not-a-mapping',
      node.span,
      `${key} must be a mapping of names to ${noun} definitions, like "${key}: { ${example.name}: ${example.body} }", not ${describeNode(node)}`,
    );
    return { entries, declared };
  }
  const firstLine = new Map<string, number>();
  for (const entry of node.entries) {
    const { key: name, keySpan: span, value } = entry;
    const first = firstLine.get(name);
    if (first !== undefined) {
      diagnostics.error('duplicate-name', span, `${noun} ${quote(name)} is defined twice (first on line ${first}); rename or remove one`);
      continue;
    }
    firstLine.set(name, span.line);
    declared.add(name);
    if (!checkName(name, span, noun, diagnostics)) continue;
    if (value.kind === 'scalar' && value.value === null) {
      entries.push({ name, span, body: { kind: 'map', entries: [], span: value.span } });
    } else if (value.kind === 'map') {
      entries.push({ name, span, body: value });
    } else {
      diagnostics.error(
        'not-a-mapping',
        value.span,
        `${noun} ${quote(name)} must be a mapping of keys, like "${name}: ${example.body}", not ${describeNode(value)}`,
      );
    }
  }
  return { entries, declared };
}

function checkName(name: string, span: SourceSpan, noun: string, diagnostics: DiagnosticCollector): boolean {
  if (name.length > NAME_MAX_LENGTH) {
    diagnostics.error('invalid-name', span, `${noun} name ${quote(name)} is longer than ${NAME_MAX_LENGTH} characters`);
    return false;
  }
  if (!NAME_PATTERN.test(name)) {
    diagnostics.error(
      'invalid-name',
      span,
      `${noun} name ${quote(name)} may only use letters, digits, ".", "_" and "-", and must start with a letter, a digit or "_"`,
      name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || undefined,
    );
    return false;
  }
  return true;
}

/** Builds each entry with `build`, keeping those that could be built, in file order. */
export function buildEntries<T extends { readonly name: string }>(
  entries: readonly NamedEntry[],
  build: (entry: NamedEntry) => T | undefined,
): Map<string, T> {
  const built = new Map<string, T>();
  for (const entry of entries) {
    const item = build(entry);
    if (item !== undefined) built.set(item.name, item);
  }
  return built;
}
