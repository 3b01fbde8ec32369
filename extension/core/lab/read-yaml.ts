/**
 * The guarded front end of the parser: text in, located tree out, for any text at all. The text
 * is checked for size and binary content before the `yaml` library sees it, and for nesting depth
 * and alias count while it is lexed ({@link scanYaml}), before anything is composed: very deep
 * input costs the parser seconds and gigabytes, and overflows the stack when composed.
 *
 * Aliases are never expanded here: yaml's `maxAliasCount` applies only to `toJS`, which QEMU Lab
 * never calls; the located tree shares aliased nodes and refuses documents that would expand too far.
 */
import { Composer, type CST, type LineCounter } from 'yaml';
import type { DiagnosticCollector } from './diagnostic';
import { FILE_START, spanOf } from './span';
import { toLabTree, type LabNode } from './tree';
import { scanYaml } from './yaml-scan';

/** Longest lab file read, in characters. Real lab files are a few kilobytes. */
export const MAX_LAB_FILE_CHARS = 1024 * 1024;
/** Deepest nesting of mappings and lists accepted. A lab file needs five levels. */
export const MAX_NESTING_DEPTH = 64;
/** Most aliases (`*name`) accepted. A lab file might share a few settings; none needs thousands. */
export const MAX_ALIASES = 10_000;

/** The located tree of a text, or `usable: false` when problems (already reported) prevent one. */
export type YamlReadResult =
  | { readonly usable: true; readonly root: LabNode | undefined }
  | { readonly usable: false };

const YAML_OPTIONS = {
  // Duplicate keys are reported by the validator, which can say "VM vm1 is defined twice".
  uniqueKeys: false,
  merge: true,
  prettyErrors: false,
  version: '1.2',
} as const;

/** Reads `text` as one YAML document; `root` is `undefined` for an empty document. */
export function readYamlTree(text: string, lineCounter: LineCounter, diagnostics: DiagnosticCollector): YamlReadResult {
  if (text.length > MAX_LAB_FILE_CHARS) {
    diagnostics.error('file-too-large', FILE_START, fileTooLargeMessage(text.length));
    return { usable: false };
  }
  const control = firstControlCharacter(text);
  if (control !== -1) {
    diagnostics.error(
      'not-text',
      spanOf(lineCounter, control, control + 1),
      `the file holds binary data (character 0x${text.charCodeAt(control).toString(16).padStart(2, '0')}); a lab file is YAML text`,
    );
    return { usable: false };
  }

  const scan = scanYaml(text, { maxDepth: MAX_NESTING_DEPTH, maxAliases: MAX_ALIASES });
  if (!scan.ok) {
    reportLimit(scan.limit, scan.offset, text, lineCounter, diagnostics);
    return { usable: false };
  }
  // The scan stops at the first open collection too deep; this walk of the finished tree is the exact check.
  const tooDeep = tooDeepAt(scan.tokens);
  if (tooDeep !== undefined) {
    reportLimit('depth', tooDeep, text, lineCounter, diagnostics);
    return { usable: false };
  }

  const documents = Array.from(new Composer(YAML_OPTIONS).compose(scan.tokens, true, text.length));
  const [document, second] = documents;
  if (document === undefined) return { usable: true, root: undefined };
  if (second !== undefined) {
    const start = second.range[0];
    diagnostics.error(
      'multiple-documents',
      spanOf(lineCounter, start, Math.min(text.length, start + 3)),
      'a lab file holds one YAML document: remove this "---" and merge what follows into the first document',
    );
  }
  const clamp = (offset: number): number => Math.max(0, Math.min(offset, text.length));
  for (const error of document.errors) {
    diagnostics.error('yaml-syntax', spanOf(lineCounter, clamp(error.pos[0]), clamp(error.pos[1])), yamlMessage(error.code, error.message));
  }
  for (const warning of document.warnings) {
    diagnostics.warning('yaml-warning', spanOf(lineCounter, clamp(warning.pos[0]), clamp(warning.pos[1])), warning.message);
  }
  if (document.errors.length > 0 || second !== undefined) return { usable: false };
  if (document.contents === null) return { usable: true, root: undefined };

  const root = toLabTree(document, lineCounter, diagnostics);
  return root === undefined ? { usable: false } : { usable: true, root };
}

/** The message for a file of `size` characters (or bytes) over {@link MAX_LAB_FILE_CHARS}. */
export function fileTooLargeMessage(size: number): string {
  const megabytes = (size / (1024 * 1024)).toFixed(1);
  return `the file is ${megabytes}M long; a lab file is at most ${MAX_LAB_FILE_CHARS / (1024 * 1024)}M (is this the right file?)`;
}

/** Reports which limit of the scan the text broke, at `offset`. */
function reportLimit(limit: 'depth' | 'aliases', offset: number, text: string, lineCounter: LineCounter, diagnostics: DiagnosticCollector): void {
  const span = spanOf(lineCounter, offset, Math.min(text.length, offset + 1));
  if (limit === 'aliases') {
    diagnostics.error(
      'too-many-aliases',
      span,
      `this is alias (*name) number ${MAX_ALIASES + 1}; QEMU Lab reads at most ${MAX_ALIASES} aliases in a lab file: write the values out or share fewer of them`,
    );
  } else {
    diagnostics.error(
      'too-deep',
      span,
      `mappings and lists are nested more than ${MAX_NESTING_DEPTH} levels deep here (QEMU Lab reads at most ${MAX_NESTING_DEPTH}); a lab file needs five: look for unclosed "[" or "{"`,
    );
  }
}

/** yaml's message, reworded where a person would not know what to do. */
function yamlMessage(code: string, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'YAML cannot be indented with tabs: indent with spaces';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `YAML syntax: ${message}; check the indentation and that each "key: value" is on its own line`;
    default:
      return `YAML syntax: ${message}`;
  }
}

/** Offset of the first C0 control character other than tab, newline and carriage return, or -1. */
function firstControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return i;
  }
  return -1;
}

/** Offset of a collection nested deeper than {@link MAX_NESTING_DEPTH}, walking the CST without recursion. */
function tooDeepAt(tokens: readonly CST.Token[]): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop() as { token: CST.Token; depth: number };
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_NESTING_DEPTH) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}
