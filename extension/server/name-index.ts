/**
 * Where host, network and VM names are defined (keys under `hosts:`, `networks:`, `vms:`) and
 * where they are used (`host:`, `network:`, `vm:`, `to:`), read from a lab file's located tree.
 * Go to definition and find references work from this.
 */
import type { SourceSpan } from '../core/lab/model';
import type { LabNode } from '../core/lab/tree';
import { mapEntries, mapEntry } from '../core/lab/tree-path';
import { LOCAL_HOST, USER_NETWORK } from '../core/lab/vocabulary';
import type { NamedSection } from './lab-schema';

/** A name written in the file: where an entry is defined, or where one is referred to. */
export interface NameSite {
  readonly section: NamedSection;
  readonly name: string;
  readonly span: SourceSpan;
}

/** Every definition of and reference to a host, network or VM name, in file order. */
export interface NameIndex {
  readonly definitions: readonly NameSite[];
  readonly references: readonly NameSite[];
}

/** Which keys of which section's entries refer to which section's names. */
const REFERENCE_KEYS: readonly { readonly from: string; readonly key: string; readonly to: NamedSection }[] = [
  { from: 'vms', key: 'host', to: 'hosts' },
  { from: 'vms', key: 'network', to: 'networks' },
  { from: 'experiments', key: 'vm', to: 'vms' },
  { from: 'migrations', key: 'vm', to: 'vms' },
  { from: 'migrations', key: 'to', to: 'hosts' },
];

/** Names that exist without being defined: they have references but no definition. */
const BUILT_IN: Readonly<Record<NamedSection, string | undefined>> = { hosts: LOCAL_HOST, networks: USER_NETWORK, vms: undefined };

/** Indexes the names of a located tree (nothing for no tree). */
export function indexNames(tree: LabNode | undefined): NameIndex {
  const definitions: NameSite[] = [];
  const references: NameSite[] = [];
  for (const section of ['hosts', 'networks', 'vms'] as const) {
    for (const entry of mapEntries(mapEntry(tree, section)?.value)) definitions.push({ section, name: entry.key, span: entry.keySpan });
  }
  for (const { from, key, to } of REFERENCE_KEYS) {
    for (const entry of mapEntries(mapEntry(tree, from)?.value)) {
      const value = mapEntry(entry.value, key)?.value;
      if (value?.kind !== 'scalar' || typeof value.value !== 'string') continue;
      references.push({ section: to, name: value.value, span: value.span });
    }
  }
  return { definitions: unique(definitions), references: unique(references) };
}

/** The definition or reference at `offset` (its span touching the offset), if any. */
export function nameSiteAt(index: NameIndex, offset: number): NameSite | undefined {
  const touches = (site: NameSite): boolean => site.span.offset <= offset && offset <= site.span.endOffset;
  return index.references.find(touches) ?? index.definitions.find(touches);
}

/** Where `name` of `section` is defined (the first definition, the one the validator keeps). */
export function definitionOf(index: NameIndex, section: NamedSection, name: string): NameSite | undefined {
  return index.definitions.find((site) => site.section === section && site.name === name);
}

/** Every place `name` of `section` is referred to. */
export function referencesTo(index: NameIndex, section: NamedSection, name: string): NameSite[] {
  return index.references.filter((site) => site.section === section && site.name === name);
}

/** The names a reference to `section` may use: those defined, and the built-in one. */
export function namesOf(index: NameIndex, section: NamedSection): string[] {
  const builtIn = BUILT_IN[section];
  const names = index.definitions.filter((site) => site.section === section).map((site) => site.name);
  return [...new Set(builtIn === undefined ? names : [builtIn, ...names])];
}

/** Sites in file order, each once (a `<<` merge shares its source's nodes). */
function unique(sites: NameSite[]): NameSite[] {
  const seen = new Set<string>();
  return sites
    .filter((site) => {
      const key = `${site.section}:${site.span.offset}:${site.span.endOffset}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.span.offset - b.span.offset);
}
