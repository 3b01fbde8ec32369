/**
 * Where a position in a lab file falls: which mapping, and whether on a key, a value or a list
 * item. Read from the text around the position (indentation, `key:`, flow brackets), so it works
 * while the user types: on `    nic: ` with nothing after it, on a line of spaces under a VM, on
 * `{ memory: 1G, ni`. Completion and hover in the language server start here.
 */
import { readBlockLine } from './block-line';
import type { LabLocation, LabWord } from './lab-location';
import { locateInFlow } from './locate-flow';
import { MAX_NESTING_DEPTH } from './read-yaml';
import { isBlankLine, scanYamlLines, type YamlLine } from './yaml-lines';

/**
 * What is at `offset` in `text`; `undefined` inside a block scalar's text or after a closed flow
 * collection. `lines` may be passed when already scanned (see {@link scanYamlLines}).
 */
export function locateInLab(text: string, offset: number, lines: readonly YamlLine[] = scanYamlLines(text)): LabLocation | undefined {
  const at = Math.max(0, Math.min(Math.trunc(offset) || 0, text.length));
  const index = lineIndexAt(lines, at);
  const line = lines[index];
  if (line === undefined || line.opaque) return undefined;
  // In a comment: nothing to complete or explain.
  if (at > line.contentEnd && text.slice(line.contentEnd, at).includes('#')) return undefined;
  let first = index;
  while (first > 0 && lines[first]?.continuation === true) first--;
  const base = lines[first] ?? line;
  const contentStart = base.start + base.indent;
  if (first === index && (isBlankLine(base) || at < contentStart)) {
    return blockKey(text, lines, index, at - base.start, { text: '', start: at, end: at }, false);
  }
  const located = onLogicalLine(text, lines, first, index, at);
  if (located === undefined) return undefined;
  const { word } = located;
  // Quoted text may run over lines; a word is always on one line.
  return text.slice(word.start, word.end).includes('\n') ? { ...located, word: { text: '', start: at, end: at } } : located;
}

/** The index of the line holding `offset`. */
function lineIndexAt(lines: readonly YamlLine[], offset: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lines[middle]?.start ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** A position on the logical line starting at line `first` (its later lines continue a flow collection). */
function onLogicalLine(text: string, lines: readonly YamlLine[], first: number, index: number, at: number): LabLocation | undefined {
  const base = lines[first] as YamlLine;
  const block = readBlockLine(text, base);
  const { key } = block;
  if (key !== undefined) {
    if (at <= key.end || at <= key.colon) {
      const word = at < key.start ? { text: '', start: at, end: at } : { text: key.text, start: key.start, end: key.end };
      if (block.dashes > 0) return { ...itemMapKey(text, lines, first, word), colonAfter: true };
      return blockKey(text, lines, first, base.indent, word, true);
    }
    const path = block.dashes > 0 ? [...containerPath(text, lines, first, base.indent, true).path, '-'] : containerPath(text, lines, first, base.indent, false).path;
    return valueAt(text, lines, first, index, at, block.valueStart, [...path, key.text]);
  }
  if (block.dashes > 0) {
    const { path } = containerPath(text, lines, first, base.indent, true);
    return valueAt(text, lines, first, index, at, block.valueStart, [...path, ...Array.from({ length: block.dashes - 1 }, () => '-')], lines[first]);
  }
  const opener = text[block.valueStart];
  if (opener === '{' || opener === '[') {
    const { path } = containerPath(text, lines, first, base.indent, false);
    return at > block.valueStart ? locateInFlow(text, block.valueStart, logicalEnd(lines, index), at, path) : undefined;
  }
  // A word on its own line: a key being typed.
  const word = { text: text.slice(block.valueStart, base.contentEnd), start: block.valueStart, end: base.contentEnd };
  return blockKey(text, lines, first, base.indent, word, false);
}

/**
 * The value of the last key of `nodePath` (or, with `itemLine`, an item of the list `nodePath`
 * names), starting at `valueStart`.
 */
function valueAt(
  text: string,
  lines: readonly YamlLine[],
  first: number,
  index: number,
  at: number,
  valueStart: number,
  nodePath: readonly string[],
  itemLine?: YamlLine,
): LabLocation | undefined {
  const opener = text[valueStart];
  if ((opener === '{' || opener === '[') && at > valueStart) {
    const flowPath = itemLine === undefined ? nodePath : [...nodePath, '-'];
    return locateInFlow(text, valueStart, logicalEnd(lines, index), at, flowPath);
  }
  const base = lines[first] as YamlLine;
  const valueEnd = Math.max(valueStart, index === first ? base.contentEnd : (lines[index] as YamlLine).contentEnd);
  const word = at < valueStart ? { text: '', start: at, end: at } : { text: text.slice(valueStart, valueEnd), start: valueStart, end: valueEnd };
  const path = nodePath.slice(0, -1);
  const key = nodePath[nodePath.length - 1];
  if (itemLine === undefined) return { path, role: 'value', key, word, siblings: [], flow: false, colonAfter: false };
  const siblings = blockItems(text, lines, first, itemLine.indent);
  return { path, role: 'item', key, word, siblings, flow: false, colonAfter: false };
}

/** A key (or the start of one) at indentation `indent` of line `index`. */
function blockKey(text: string, lines: readonly YamlLine[], index: number, indent: number, word: LabWord, colonAfter: boolean): LabLocation {
  const { path, parentLine } = containerPath(text, lines, index, indent, false);
  const siblings = blockKeys(text, lines, parentLine, index);
  return { path, role: 'key', key: word.text === '' ? undefined : word.text, word, siblings, flow: false, colonAfter };
}

/** A key of a mapping that is an item of a list (`- key: value`): a shape lab files never need. */
function itemMapKey(text: string, lines: readonly YamlLine[], index: number, word: LabWord): LabLocation {
  const line = lines[index] as YamlLine;
  const { path } = containerPath(text, lines, index, line.indent, true);
  return { path: [...path, '-'], role: 'key', key: word.text === '' ? undefined : word.text, word, siblings: [], flow: false, colonAfter: false };
}

/** Where the logical line holding line `index` ends: the end of its last continuation line. */
function logicalEnd(lines: readonly YamlLine[], index: number): number {
  let last = index;
  while (lines[last + 1]?.continuation === true) last++;
  return (lines[last] as YamlLine).end;
}

/** Whether a line holds nothing that counts for structure. */
function skipped(line: YamlLine): boolean {
  return line.continuation || line.opaque || isBlankLine(line);
}

/**
 * The line opening the mapping or list that a line at indentation `indent` (below line `index`)
 * belongs to, or -1 for the top level. A list item (`item`) may sit at its key's own indentation.
 */
function parentLine(text: string, lines: readonly YamlLine[], index: number, indent: number, item: boolean): number {
  for (let j = index - 1; j >= 0; j--) {
    const line = lines[j] as YamlLine;
    if (skipped(line)) continue;
    if (line.indent < indent) return j;
    if (item && line.indent === indent) {
      const block = readBlockLine(text, line);
      if (block.dashes === 0 && block.key !== undefined && block.valueStart >= line.contentEnd) return j;
    }
  }
  return -1;
}

/** The path of the container a line at `indent` (line `index`) is in, and the line that opens it. */
function containerPath(
  text: string,
  lines: readonly YamlLine[],
  index: number,
  indent: number,
  item: boolean,
): { path: string[]; parentLine: number } {
  const reversed: string[] = [];
  const parent = parentLine(text, lines, index, indent, item);
  let current = parent;
  while (current >= 0 && reversed.length <= MAX_NESTING_DEPTH) {
    const line = lines[current] as YamlLine;
    const block = readBlockLine(text, line);
    reversed.push(block.key?.text ?? (block.dashes > 0 ? '-' : '?'));
    for (let d = block.key === undefined ? 1 : 0; d < block.dashes; d++) reversed.push('-');
    current = parentLine(text, lines, current, line.indent, block.dashes > 0);
  }
  return { path: reversed.reverse(), parentLine: parent };
}

/** The keys of the block mapping opened by line `parent` (-1: the top level), except on line `except`. */
function blockKeys(text: string, lines: readonly YamlLine[], parent: number, except: number): string[] {
  const parentIndent = parent < 0 ? -1 : (lines[parent] as YamlLine).indent;
  const keys: string[] = [];
  let childIndent: number | undefined;
  for (let k = parent + 1; k < lines.length; k++) {
    const line = lines[k] as YamlLine;
    if (skipped(line)) continue;
    if (line.indent <= parentIndent) break;
    childIndent ??= line.indent;
    if (k === except || line.indent !== childIndent) continue;
    const block = readBlockLine(text, line);
    if (block.dashes === 0 && block.key !== undefined) keys.push(block.key.text);
  }
  return keys;
}

/** The items of the block list whose item on line `index` is at indentation `indent`, except that one. */
function blockItems(text: string, lines: readonly YamlLine[], index: number, indent: number): string[] {
  const items: string[] = [];
  const collect = (k: number): boolean => {
    const line = lines[k] as YamlLine;
    if (skipped(line)) return true;
    if (line.indent !== indent) return line.indent > indent;
    const block = readBlockLine(text, line);
    if (block.dashes === 0) return false;
    if (k !== index) items.push(text.slice(block.valueStart, line.contentEnd));
    return true;
  };
  for (let k = index - 1; k >= 0 && collect(k); k--);
  for (let k = index + 1; k < lines.length && collect(k); k++);
  return items;
}
