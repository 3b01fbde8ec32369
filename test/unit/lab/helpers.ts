import { parseLabText, type LabParseResult } from '../../../extension/core/lab/parse';

/** Parses `text` as `lab.yaml`. */
export function parse(text: string): LabParseResult {
  return parseLabText(text, 'lab.yaml');
}

/** Each diagnostic of `text` as `line:column severity code`, for compact exact assertions. */
export function summary(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.severity} ${d.code}`);
}

/** The messages of `text`'s diagnostics. */
export function messages(text: string): string[] {
  return parse(text).diagnostics.map((d) => d.message);
}
