/**
 * Source spans: turning offsets into the text into 1-based lines and columns.
 */
import { LineCounter } from 'yaml';
import type { SourceSpan } from './model';

/** A {@link LineCounter} filled from the whole text, for positions found before or without parsing. */
export function lineCounterFor(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let offset = text.indexOf('\n'); offset !== -1; offset = text.indexOf('\n', offset + 1)) {
    lineCounter.addNewLine(offset + 1);
  }
  return lineCounter;
}

/**
 * The span from `start` to `end` (offsets into the text, in UTF-16 code units as JavaScript strings
 * count them; columns count the same way, which is what editors expect).
 */
export function spanOf(lineCounter: LineCounter, start: number, end: number = start): SourceSpan {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(start, end));
  return {
    line: from.line,
    column: from.col,
    endLine: to.line,
    endColumn: to.col,
    offset: start,
    endOffset: Math.max(start, end),
  };
}

/** The span of the first character of the file, for problems with the file as a whole. */
export const FILE_START: SourceSpan = { line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
