/**
 * The located tree: a lab file's YAML as plain nodes that each know their source span. The
 * validator reads this tree, never the `yaml` library's nodes. Building it resolves aliases and
 * `<<` merge keys without ever expanding them (an aliased node is shared, not copied), so a
 * "billion laughs" document costs no more than its text; it is still refused, see {@link MAX_EXPANDED_NODES}.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { DiagnosticCollector } from './diagnostic';
import type { SourceSpan } from './model';
import { FILE_START, spanOf } from './span';

/** A string, number, boolean or null. */
export interface LabScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly span: SourceSpan;
}

/** One `key: value` of a mapping. */
export interface LabMapEntry {
  readonly key: string;
  readonly keySpan: SourceSpan;
  readonly value: LabNode;
}

/** A mapping, entries in file order; duplicate keys are kept so the validator can report them. */
export interface LabMap {
  readonly kind: 'map';
  readonly entries: readonly LabMapEntry[];
  readonly span: SourceSpan;
}

/** A sequence. */
export interface LabSeq {
  readonly kind: 'seq';
  readonly items: readonly LabNode[];
  readonly span: SourceSpan;
}

/** Anything else YAML can hold (a custom-tagged value); never valid in a lab file. */
export interface LabOther {
  readonly kind: 'other';
  readonly span: SourceSpan;
}

/** A node of the located tree. */
export type LabNode = LabScalar | LabMap | LabSeq | LabOther;

/**
 * Documents whose aliases would expand to more nodes than this are refused: no lab file needs
 * that many, and every consumer that expands them (yaml's `toJS`, JSON) would choke.
 */
export const MAX_EXPANDED_NODES = 100_000;

/** Converts a parsed document's contents; `undefined` when aliases are broken or explode. */
export function toLabTree(
  document: Document.Parsed,
  lineCounter: LineCounter,
  diagnostics: DiagnosticCollector,
): LabNode | undefined {
  const builder = new TreeBuilder(lineCounter, diagnostics);
  const root = builder.convert(document.contents);
  return builder.failed ? undefined : root;
}

class TreeBuilder {
  failed = false;
  private readonly anchors = new Map<string, unknown>();
  private readonly converted = new Map<unknown, LabNode>();
  private readonly inProgress = new Set<unknown>();
  /** How many nodes each tree node stands for once aliases are expanded. */
  private readonly expandedSizes = new WeakMap<LabNode, number>();
  private aliasesSeen = false;
  private bombReported = false;
  /** Entries copied by `<<` merges so far, over the whole document. */
  private mergedEntries = 0;

  constructor(
    private readonly lineCounter: LineCounter,
    private readonly diagnostics: DiagnosticCollector,
  ) {}

  convert(node: unknown): LabNode {
    if (isAlias(node)) return this.resolveAlias(node);
    const anchor = hasAnchor(node) ? node.anchor : undefined;
    if (anchor !== undefined) {
      this.anchors.set(anchor, node);
      this.inProgress.add(node);
    }
    const result = this.convertNode(node);
    if (anchor !== undefined) {
      this.inProgress.delete(node);
      this.converted.set(node, result);
    }
    return result;
  }

  private convertNode(node: unknown): LabNode {
    const span = this.spanOfNode(node);
    if (isMap(node)) {
      const entries = this.convertEntries(node.items);
      return this.sized({ kind: 'map', entries, span }, entries.map((entry) => entry.value), entries.length);
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => this.convert(item));
      return this.sized({ kind: 'seq', items, span }, items, 0);
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
        return this.sized({ kind: 'scalar', value, span }, [], 0);
      }
    }
    if (node === null || node === undefined) return this.sized({ kind: 'scalar', value: null, span }, [], 0);
    return this.sized({ kind: 'other', span }, [], 0);
  }

  private convertEntries(pairs: readonly { key: unknown; value: unknown }[]): LabMapEntry[] {
    const explicit: LabMapEntry[] = [];
    const merged: LabMapEntry[] = [];
    for (const pair of pairs) {
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        for (const entry of this.mergeSources(pair.value)) merged.push(entry);
        continue;
      }
      const keySpan = this.spanOfNode(pair.key);
      const keyNode = this.convert(pair.key);
      const value = this.convert(pair.value);
      if (keyNode.kind !== 'scalar') {
        this.diagnostics.error('wrong-type', keySpan, 'a key must be a plain name, not a list or a mapping');
        continue;
      }
      explicit.push({ key: keyText(pair.key, keyNode.value), keySpan, value });
    }
    if (merged.length === 0) return explicit;
    // Keys written in the mapping win over merged ones; among merged ones, the first source wins.
    const taken = new Set(explicit.map((entry) => entry.key));
    const entries = [...explicit];
    for (const entry of merged) {
      if (taken.has(entry.key)) continue;
      taken.add(entry.key);
      entries.push(entry);
    }
    return entries;
  }

  /** The entries a `<<: *anchor` or `<<: [*a, *b]` merge key brings in. */
  private mergeSources(value: unknown): LabMapEntry[] {
    const sources = isSeq(value) ? value.items : [value];
    const entries: LabMapEntry[] = [];
    for (const source of sources) {
      const node = this.convert(source);
      if (node.kind !== 'map') {
        this.diagnostics.error(
          'wrong-type',
          this.spanOfNode(source),
          '"<<" merges mappings: write "<<: *anchor" where the anchor names a mapping',
        );
        continue;
      }
      this.mergedEntries += node.entries.length;
      if (this.mergedEntries > MAX_EXPANDED_NODES) {
        this.reportBomb(this.spanOfNode(source));
        return [];
      }
      for (const entry of node.entries) entries.push(entry);
    }
    return entries;
  }

  private resolveAlias(alias: { source: string; range?: unknown }): LabNode {
    this.aliasesSeen = true;
    const span = this.spanOfNode(alias);
    const target = this.anchors.get(alias.source);
    const resolved = target === undefined ? undefined : this.converted.get(target);
    if (resolved !== undefined) return resolved;
    this.failed = true;
    if (target !== undefined && this.inProgress.has(target)) {
      this.diagnostics.error('alias-cycle', span, `alias *${alias.source} is inside the node it names; a lab file cannot be recursive`);
    } else {
      this.diagnostics.error('undefined-alias', span, `alias *${alias.source} names no anchor; define "&${alias.source}" before using it`);
    }
    return { kind: 'scalar', value: null, span };
  }

  /** Records how many nodes `node` expands to, and refuses the document once that is absurd. */
  private sized<T extends LabNode>(node: T, children: readonly LabNode[], keys: number): T {
    let size = 1 + keys;
    for (const child of children) size += this.expandedSizes.get(child) ?? 1;
    this.expandedSizes.set(node, size);
    if (size > MAX_EXPANDED_NODES && this.aliasesSeen) this.reportBomb(node.span);
    return node;
  }

  private reportBomb(span: SourceSpan): void {
    this.failed = true;
    if (this.bombReported) return;
    this.bombReported = true;
    this.diagnostics.error(
      'alias-bomb',
      span,
      `aliases here expand to more than ${MAX_EXPANDED_NODES} values; a lab file never needs that many (is this a "billion laughs" document?)`,
    );
  }

  private spanOfNode(node: unknown): SourceSpan {
    const range = hasRange(node) ? node.range : undefined;
    return range ? spanOf(this.lineCounter, range[0], range[1]) : FILE_START;
  }
}

function keyText(key: unknown, value: string | number | boolean | null): string {
  if (typeof value === 'string') return value;
  // For `1.0:` or `0x1F:` the name is what was written, not the number it reads as.
  if (isScalar(key) && typeof key.source === 'string') return key.source;
  return String(value);
}

function hasAnchor(node: unknown): node is { anchor: string } {
  return typeof node === 'object' && node !== null && typeof (node as { anchor?: unknown }).anchor === 'string';
}

function hasRange(node: unknown): node is { range: readonly [number, number, number] | null | undefined } {
  return typeof node === 'object' && node !== null && 'range' in node;
}
