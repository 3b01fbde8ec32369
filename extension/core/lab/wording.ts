/**
 * Small pieces of wording shared by the validator's messages, so every message quotes values
 * and lists choices the same way.
 */
import type { LabNode } from './tree';

/** `text` in double quotes, cut short when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** What a node is, for "must be a number, not …": `"abc"`, `the number 3`, `true`, `a list`, `a mapping`. */
export function describeNode(node: LabNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'other') return 'a tagged value';
  const { value } = node;
  if (value === null) return 'nothing';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

/** `a, b or c`. */
export function choices(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1] ?? ''}`;
}
