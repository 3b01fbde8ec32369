/**
 * The lines of a lab file as an editor sees them while the user types: indentation, where the
 * content ends (before a comment), and whether a line continues a flow collection or quoted
 * text begun above, or is the text of a block scalar. Works on any text, broken or not, in one
 * pass; {@link locateInLab} reads positions from it.
 */

/** One physical line of the text. */
export interface YamlLine {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset of the line's end, before `\n` (and a `\r` before it). */
  readonly end: number;
  /** Leading spaces (tabs are not indentation in YAML). */
  readonly indent: number;
  /** Offset just after the line's last character of content: before a comment and trailing spaces. */
  readonly contentEnd: number;
  /** The line starts inside a flow collection (`{…}`, `[…]`) or quoted text begun on an earlier line. */
  readonly continuation: boolean;
  /** The line is text of a block scalar (`key: |`) begun above, not structure. */
  readonly opaque: boolean;
}

/** Whether a line holds nothing but spaces or a comment. */
export function isBlankLine(line: YamlLine): boolean {
  return line.contentEnd <= line.start + line.indent;
}

/** What the scan carries from one line to the next. */
interface CarriedState {
  /** Open flow collections. */
  depth: number;
  /** The quote character of an open quoted scalar, or ''. */
  quote: string;
  /** Indentation of the line that opened the flow collection or quote. */
  openerIndent: number;
  /** Indentation of the line whose value is a block scalar, while its text lasts. */
  blockScalarParent: number | undefined;
}

const BLOCK_SCALAR_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/** Scans `text` into lines. Linear in the length of the text. */
export function scanYamlLines(text: string): YamlLine[] {
  const lines: YamlLine[] = [];
  const state: CarriedState = { depth: 0, quote: '', openerIndent: 0, blockScalarParent: undefined };
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    lines.push(scanLine(text, start, end, state));
    if (newline === -1) return lines;
    start = newline + 1;
  }
}

function scanLine(text: string, start: number, end: number, state: CarriedState): YamlLine {
  let indent = 0;
  while (start + indent < end && text.charCodeAt(start + indent) === 32) indent++;
  const first = start + indent;
  const onlySpace = first >= end || text[first] === '#' || /^\s*$/.test(text.slice(first, end));
  const open = state.depth > 0 || state.quote !== '';
  if (open && !onlySpace && indent <= state.openerIndent) {
    // YAML would call this an error; the user surely means a new line of the block structure.
    state.depth = 0;
    state.quote = '';
  }
  const continuation = state.depth > 0 || state.quote !== '';
  if (!continuation && state.blockScalarParent !== undefined) {
    if (onlySpace || indent > state.blockScalarParent) return { start, end, indent, contentEnd: end, continuation: false, opaque: true };
    state.blockScalarParent = undefined;
  }
  const contentEnd = scanContent(text, first, end, indent, state);
  return { start, end, indent, contentEnd: Math.max(contentEnd, first), continuation, opaque: false };
}

/** Scans one line's characters from `from`, updating `state`; returns where its content ends. */
function scanContent(text: string, from: number, end: number, indent: number, state: CarriedState): number {
  let contentEnd = from;
  let atTokenStart = true;
  for (let i = from; i < end; i++) {
    const ch = text[i] ?? '';
    if (state.quote !== '') {
      contentEnd = i + 1;
      if (state.quote === '"' && ch === '\\') i++;
      else if (ch === state.quote) {
        if (ch === "'" && text[i + 1] === "'") i++;
        else state.quote = '';
      }
      if (state.quote === '') atTokenStart = false;
      continue;
    }
    if (ch === ' ' || ch === '\t') continue;
    if (ch === '#' && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
    contentEnd = i + 1;
    if ((ch === '"' || ch === "'") && atTokenStart) {
      if (state.depth === 0) state.openerIndent = indent;
      state.quote = ch;
      continue;
    }
    if (state.depth > 0) {
      if (ch === '{' || ch === '[') state.depth++;
      else if (ch === '}' || ch === ']') state.depth--;
      atTokenStart = ch === '{' || ch === '[' || ch === ',' || ch === ':' || ch === '}' || ch === ']';
      continue;
    }
    if ((ch === '{' || ch === '[') && atTokenStart) {
      state.depth = 1;
      state.openerIndent = indent;
      continue;
    }
    const next = text[i + 1];
    const spaceAfter = next === undefined || i + 1 >= end || next === ' ' || next === '\t';
    if ((ch === '-' && atTokenStart && spaceAfter) || (ch === ':' && spaceAfter)) {
      atTokenStart = true;
      continue;
    }
    if ((ch === '|' || ch === '>') && atTokenStart && BLOCK_SCALAR_HEADER.test(text.slice(i, end))) {
      state.blockScalarParent = indent;
      return i + 1;
    }
    atTokenStart = false;
  }
  return contentEnd;
}
