/**
 * The edit that adds an entry to a section (`hosts:`, `networks:`, `vms:`), creating the section
 * when the file has none: for the quick fix of a name used but never defined. The new entry
 * follows the file's style: block or flow, and the section's indentation.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { LabMap, LabNode } from '../core/lab/tree';
import { mapEntry } from '../core/lab/tree-path';
import { SECTION_KEYS } from '../core/lab/vocabulary';
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
  const { text, tree } = analysis;
  const body = NEW_ENTRY_BODIES[section](name);
  const flowEntry = `${name}: { ${body.join(', ')} }`;
  const blockEntry = (nested: number): string[] => [`${name}:`, ...body.map((line) => `${' '.repeat(nested)}${line}`)];
  if (tree !== undefined && (tree.kind !== 'map' || text[tree.span.offset] === '{')) return undefined;
  const existing = mapEntry(tree, section);
  if (existing === undefined) return newSection(analysis, section, blockEntry(2));

  const { value, keySpan } = existing;
  if (value.kind === 'scalar' && value.value === null) {
    if (value.span.endOffset > value.span.offset) return edit(analysis, value.span.offset, value.span.endOffset, `{ ${flowEntry} }`);
    const indent = keySpan.column - 1 + 2;
    return insertAfterLine(analysis, keySpan.offset, blockEntry(2).map((line) => `${' '.repeat(indent)}${line}`));
  }
  if (value.kind !== 'map') return undefined;
  if (text[value.span.offset] === '{') {
    const close = value.span.endOffset - 1;
    if (text[close] !== '}') return undefined;
    const last = value.entries[value.entries.length - 1];
    if (last === undefined) return edit(analysis, close, close, ` ${flowEntry} `);
    const after = Math.max(last.keySpan.endOffset, last.value.span.endOffset);
    return after < close ? edit(analysis, after, after, `, ${flowEntry}`) : undefined;
  }
  const first = value.entries[0];
  if (first === undefined) return undefined;
  const indent = first.keySpan.column - 1;
  const lines = isFlow(text, first.value) ? [flowEntry] : blockEntry(nestedIndent(first.value, indent));
  return insertAfterLine(analysis, lastOffset(text, value), lines.map((line) => `${' '.repeat(indent)}${line}`));
}

/** A new section holding `entry`, before the first section that comes after it in the usual order. */
function newSection(analysis: LabAnalysis, section: NamedSection, entry: readonly string[]): TextEdit {
  const { text, tree } = analysis;
  const block = [`${section}:`, ...entry.map((line) => `  ${line}`)].join('\n');
  const later = SECTION_KEYS.slice(SECTION_KEYS.indexOf(section) + 1);
  const next = later.map((key) => mapEntry(tree, key)).find((found) => found !== undefined && found.keySpan.column === 1);
  if (next !== undefined) {
    const lineStart = text.lastIndexOf('\n', next.keySpan.offset - 1) + 1;
    return edit(analysis, lineStart, lineStart, `${block}\n`);
  }
  const separator = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return edit(analysis, text.length, text.length, `${separator}${block}\n`);
}

/** Inserts `lines` as new lines after the line holding `offset`. */
function insertAfterLine(analysis: LabAnalysis, offset: number, lines: readonly string[]): TextEdit {
  const { text } = analysis;
  const newline = text.indexOf('\n', offset);
  let end = newline === -1 ? text.length : newline;
  if (end > 0 && text[end - 1] === '\r') end--;
  return edit(analysis, end, end, `\n${lines.join('\n')}`);
}

/** The offset of a block mapping's last character of content (its span runs on past the line). */
function lastOffset(text: string, map: LabMap): number {
  let last = map.span.endOffset - 1;
  while (last > map.span.offset && /\s/.test(text[last] ?? '')) last--;
  return Math.max(map.span.offset, last);
}

/** How far an entry's own keys are indented past its name (2 when it has none in block style). */
function nestedIndent(body: LabNode, indent: number): number {
  const key = body.kind === 'map' ? body.entries[0]?.keySpan : undefined;
  return key !== undefined && key.column - 1 > indent ? key.column - 1 - indent : 2;
}

function isFlow(text: string, node: LabNode): boolean {
  return node.kind === 'map' && text[node.span.offset] === '{';
}

function edit(analysis: LabAnalysis, start: number, end: number, newText: string): TextEdit {
  return { range: analysis.rangeOfOffsets(start, end), newText };
}
