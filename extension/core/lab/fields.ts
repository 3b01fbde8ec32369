/**
 * Reading the typed values of one mapping with fixed keys (a VM, a host, a matrix…), reporting
 * unknown and duplicate keys, wrong types and out-of-range values where they are written. Every
 * reader method returns `undefined` after reporting a problem, so callers fall back to defaults.
 */
import type { DiagnosticCollector, LabDiagnosticCode } from './diagnostic';
import type { SourceSpan } from './model';
import type { QuantityResult } from './sizes';
import { closestMatch, didYouMean } from './suggest';
import type { LabMap, LabMapEntry, LabNode } from './tree';
import { choices, describeNode, quote } from './wording';

/** A value read from the file, with where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly span: SourceSpan;
}

/** How {@link MapReader.stringList} treats a list. */
export interface ListOptions {
  /** Reports a bad item and returns false to drop it. */
  readonly check?: (item: Located<string>) => boolean;
  /** `[]` is fine (it means "none"). */
  readonly allowEmpty?: boolean;
  /** The same item may appear twice (command-line arguments may). */
  readonly allowRepeats?: boolean;
}

/** Reads the keys of one mapping; `owner` names it in messages, like `VM "vm1"`. */
export class MapReader {
  private readonly byKey = new Map<string, LabMapEntry>();

  constructor(
    map: LabMap,
    readonly owner: string,
    allowedKeys: readonly string[],
    readonly diagnostics: DiagnosticCollector,
  ) {
    for (const entry of map.entries) {
      if (!allowedKeys.includes(entry.key)) {
        const suggestion = closestMatch(entry.key, allowedKeys);
        const help = suggestion === undefined ? `; it may hold ${choices(allowedKeys)}` : didYouMean(suggestion);
        diagnostics.error('unknown-key', entry.keySpan, `${owner}: unknown key ${quote(entry.key)}${help}`, suggestion);
        continue;
      }
      const first = this.byKey.get(entry.key);
      if (first !== undefined) {
        diagnostics.error(
          'duplicate-key',
          entry.keySpan,
          `${owner}: ${quote(entry.key)} is written twice (first on line ${first.keySpan.line}); keep one`,
        );
        continue;
      }
      this.byKey.set(entry.key, entry);
    }
  }

  /** The node written for `key`, as is (`null` scalar for `key:` alone). */
  node(key: string): LabNode | undefined {
    return this.byKey.get(key)?.value;
  }

  /** Whether `key` is written (even with a bad value). */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Where `key` is written. */
  keySpan(key: string): SourceSpan | undefined {
    return this.byKey.get(key)?.keySpan;
  }

  /** A non-empty string. */
  string(key: string, what = 'text'): Located<string> | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      return this.wrongType(key, node, what, quoteItHint(node));
    }
    if (node.value.trim() === '') {
      this.diagnostics.error('empty-value', node.span, `${this.owner}: ${key} is empty; write ${what}, or remove the key`);
      return undefined;
    }
    return { value: node.value, span: node.span };
  }

  /**
   * A non-empty string that must be written; when the key is absent, reports `missing` at `entrySpan`
   * (the entry's name: there is no key to point at).
   */
  requiredString(key: string, what: string, missing: string, entrySpan: SourceSpan): Located<string> | undefined {
    if (!this.has(key)) {
      this.diagnostics.error('missing-key', entrySpan, `${this.owner}: ${missing}`);
      return undefined;
    }
    return this.string(key, what);
  }

  /** A whole number from `min` to `max`. */
  integer(key: string, limits: { readonly min: number; readonly max: number }): Located<number> | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    const range = `a whole number from ${limits.min} to ${limits.max}`;
    if (node.kind !== 'scalar' || typeof node.value !== 'number') {
      const hint = node.kind === 'scalar' && typeof node.value === 'string' && /^\s*-?[0-9]+\s*$/.test(node.value) ? '; write it without quotes' : '';
      return this.wrongType(key, node, range, hint);
    }
    if (!Number.isInteger(node.value) || node.value < limits.min || node.value > limits.max) {
      this.diagnostics.error('out-of-range', node.span, `${this.owner}: ${key} must be ${range}, not ${node.value}`);
      return undefined;
    }
    return { value: node.value, span: node.span };
  }

  /** `true` or `false`. */
  boolean(key: string): Located<boolean> | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar' || typeof node.value !== 'boolean') {
      const text = node.kind === 'scalar' && typeof node.value === 'string' ? node.value.toLowerCase() : '';
      const suggestion = ['yes', 'on', 'y'].includes(text) ? 'true' : ['no', 'off', 'n'].includes(text) ? 'false' : undefined;
      const hint = suggestion === undefined ? '' : ` (YAML 1.2 reads ${quote(text)} as text: write ${suggestion})`;
      return this.wrongType(key, node, 'true or false', hint, suggestion);
    }
    return { value: node.value, span: node.span };
  }

  /** One of `values`; a near miss gets a "did you mean". `noun` names the kind of value in messages. */
  oneOf<T extends string>(key: string, values: readonly T[], noun: string): Located<T> | undefined {
    const text = this.string(key, choices(values));
    if (text === undefined) return undefined;
    return checkChoice(text, values, noun, this) ? (text as Located<T>) : undefined;
  }

  /** A size, bandwidth or duration, parsed by `parse`; problems are reported with `code`. */
  quantity(key: string, parse: (input: unknown) => QuantityResult, code: LabDiagnosticCode): Located<number> | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'scalar') return this.wrongType(key, node, 'a single value', '');
    const result = parse(node.value);
    if (!result.ok) {
      this.diagnostics.error(code, node.span, `${this.owner}: ${key} ${result.message}`);
      return undefined;
    }
    return { value: result.value, span: node.span };
  }

  /** A nested mapping with its own fixed keys. */
  mapping(key: string, allowedKeys: readonly string[]): MapReader | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'map') return this.wrongType(key, node, `a mapping with ${choices(allowedKeys)}`, '');
    return new MapReader(node, `${this.owner} ${key}`, allowedKeys, this.diagnostics);
  }

  /**
   * A list of strings, non-empty unless `allowEmpty`. `check` may report an item and return false
   * to drop it; repeated items are dropped with a warning unless `allowRepeats`.
   */
  stringList(key: string, options: ListOptions = {}): Located<string[]> | undefined {
    const node = this.present(key);
    if (node === undefined) return undefined;
    if (node.kind !== 'seq') {
      // `targets: guest` was surely meant as `[guest]`; `extraArgs: -smp 2` is less clear-cut.
      const single = node.kind === 'scalar' && typeof node.value === 'string' && !/\s/.test(node.value) ? node.value : undefined;
      const suggestion = single === undefined ? undefined : `[${single}]`;
      const hint = suggestion === undefined ? '' : `; write ${suggestion}`;
      return this.wrongType(key, node, 'a list', hint, suggestion);
    }
    if (node.items.length === 0 && options.allowEmpty !== true) {
      this.diagnostics.error('empty-list', node.span, `${this.owner}: ${key} is an empty list; list at least one, or remove the key`);
      return undefined;
    }
    const values: string[] = [];
    for (const item of node.items) {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') {
        this.diagnostics.error('wrong-type', item.span, `${this.owner}: each item of ${key} must be text, not ${describeNode(item)}${quoteItHint(item)}`);
        continue;
      }
      const located = { value: item.value, span: item.span };
      if (options.check !== undefined && !options.check(located)) continue;
      if (options.allowRepeats !== true && values.includes(item.value)) {
        this.diagnostics.warning('duplicate-item', item.span, `${this.owner}: ${quote(item.value)} is listed twice in ${key}`);
        continue;
      }
      values.push(item.value);
    }
    return { value: values, span: node.span };
  }

  /** A list of `values` (non-empty unless `allowEmpty`); near misses get a "did you mean". */
  choiceList<T extends string>(key: string, values: readonly T[], noun: string, allowEmpty = false): Located<T[]> | undefined {
    const check = (item: Located<string>): boolean => checkChoice(item, values, noun, this);
    return this.stringList(key, { check, allowEmpty }) as Located<T[]> | undefined;
  }

  /** The value of `key` unless absent; an empty value (`key:` alone) is reported. */
  private present(key: string): LabNode | undefined {
    const entry = this.byKey.get(key);
    if (entry === undefined) return undefined;
    if (entry.value.kind === 'scalar' && entry.value.value === null) {
      this.diagnostics.error('empty-value', entry.keySpan, `${this.owner}: ${key} has no value; write one, or remove the key to use the default`);
      return undefined;
    }
    return entry.value;
  }

  private wrongType(key: string, node: LabNode, expected: string, hint: string, suggestion?: string): undefined {
    this.diagnostics.error('wrong-type', node.span, `${this.owner}: ${key} must be ${expected}, not ${describeNode(node)}${hint}`, suggestion);
    return undefined;
  }
}

/** `; quote it: "2"` for a number or boolean where text belongs, else nothing. */
function quoteItHint(node: LabNode): string {
  return node.kind === 'scalar' && node.value !== null ? `; quote it: "${String(node.value)}"` : '';
}

/** Whether `item` is one of `values`; if not, reports it (with a "did you mean") on `reader`'s behalf. */
function checkChoice(item: Located<string>, values: readonly string[], noun: string, reader: MapReader): boolean {
  if (values.includes(item.value)) return true;
  const suggestion = closestMatch(item.value, values);
  const help = suggestion === undefined ? `; choose ${choices(values)}` : didYouMean(suggestion);
  reader.diagnostics.error('unknown-value', item.span, `${reader.owner}: unknown ${noun} ${quote(item.value)}${help}`, suggestion);
  return false;
}
