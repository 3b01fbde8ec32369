/**
 * The text edit that adds an entry to a section (`hosts:`, `networks:`, `vms:`) of a lab file,
 * creating the section when the file has none: for the language server's quick fix of a name
 * used but never defined, and the editor's "New VM from Image…". The new entry follows the
 * file's style: block or flow, and the section's indentation. Pure: text and its located tree in,
 * offsets and text out.
 */
import type { LabMap, LabNode } from './tree';
import { mapEntry } from './tree-path';
import { SECTION_KEYS } from './vocabulary';

/** A section whose entries are named. */
export type EntrySection = 'hosts' | 'networks' | 'vms';

/** Replace `text[start, end)` with `newText`. */
export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A lab file's text and the tree read from it (undefined when it could not be read). */
interface LabText {
  readonly text: string;
  readonly tree: LabNode | undefined;
}

/**
 * An edit adding entry `name`, with `body` (its keys as `key: value`), to `section`; undefined
 * when the file's shape leaves no sure place for it.
 */
export function addEntry(analysis: LabText, section: EntrySection, name: string, body: readonly string[]): OffsetEdit | undefined {
  const { text, tree } = analysis;
  const flowEntry = `${name}: { ${body.join(', ')} }`;
  const blockEntry = (nested: number): string[] => [`${name}:`, ...body.map((line) => `${' '.repeat(nested)}${line}`)];
  if (tree !== undefined && (tree.kind !== 'map' || text[tree.span.offset] === '{')) return undefined;
  const existing = mapEntry(tree, section);
  if (existing === undefined) return newSection(analysis, section, blockEntry(2));

  const { value, keySpan } = existing;
  if (value.kind === 'scalar' && value.value === null) {
    if (value.span.endOffset > value.span.offset) return edit(value.span.offset, value.span.endOffset, `{ ${flowEntry} }`);
    const indent = keySpan.column - 1 + 2;
    return insertAfterLine(analysis, keySpan.offset, blockEntry(2).map((line) => `${' '.repeat(indent)}${line}`));
  }
  if (value.kind !== 'map') return undefined;
  if (text[value.span.offset] === '{') {
    const close = value.span.endOffset - 1;
    if (text[close] !== '}') return undefined;
    const last = value.entries[value.entries.length - 1];
    if (last === undefined) return edit(close, close, ` ${flowEntry} `);
    const after = Math.max(last.keySpan.endOffset, last.value.span.endOffset);
    return after < close ? edit(after, after, `, ${flowEntry}`) : undefined;
  }
  const first = value.entries[0];
  if (first === undefined) return undefined;
  const indent = first.keySpan.column - 1;
  const lines = isFlow(text, first.value) ? [flowEntry] : blockEntry(nestedIndent(first.value, indent));
  return insertAfterLine(analysis, lastOffset(text, value), lines.map((line) => `${' '.repeat(indent)}${line}`));
}

/** A new section holding `entry`, before the first section that comes after it in the usual order. */
function newSection(analysis: LabText, section: EntrySection, entry: readonly string[]): OffsetEdit {
  const { text, tree } = analysis;
  const block = [`${section}:`, ...entry.map((line) => `  ${line}`)].join('\n');
  const later = SECTION_KEYS.slice(SECTION_KEYS.indexOf(section) + 1);
  const next = later.map((key) => mapEntry(tree, key)).find((found) => found !== undefined && found.keySpan.column === 1);
  if (next !== undefined) {
    const lineStart = text.lastIndexOf('\n', next.keySpan.offset - 1) + 1;
    return edit(lineStart, lineStart, `${block}\n`);
  }
  const separator = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return edit(text.length, text.length, `${separator}${block}\n`);
}

/** Inserts `lines` as new lines after the line holding `offset`. */
function insertAfterLine(analysis: LabText, offset: number, lines: readonly string[]): OffsetEdit {
  const { text } = analysis;
  const newline = text.indexOf('\n', offset);
  let end = newline === -1 ? text.length : newline;
  if (end > 0 && text[end - 1] === '\r') end--;
  return edit(end, end, `\n${lines.join('\n')}`);
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

function edit(start: number, end: number, newText: string): OffsetEdit {
  return { start, end, newText };
}
