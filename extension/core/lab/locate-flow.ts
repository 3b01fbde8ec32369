/**
 * Positions inside flow collections (`{ memory: 1G, ni`, `[kvm, t`), even unclosed and over
 * several lines: a small scanner tracks the open mappings and lists up to the position, then on
 * to the end of the one holding it, to list the keys or items written beside it.
 */
import { closingQuote, unquote } from './block-line';
import type { LabLocation, LabLocationRole, LabWord } from './lab-location';
import { MAX_NESTING_DEPTH } from './read-yaml';

/** An open flow collection while scanning. */
interface FlowContainer {
  readonly kind: 'map' | 'seq';
  /** The collection's own path: a map's keys live under it; a list's items are the value of its last key. */
  readonly path: readonly string[];
  readonly names: { text: string; start: number }[];
  pendingKey: string | undefined;
  afterColon: boolean;
}

/**
 * What `at` is in the flow collection opening at `open` (scanned up to `limit`), whose own path
 * is `nodePath`; `undefined` after the collection closes, or nested deeper than a lab file may be.
 */
export function locateInFlow(text: string, open: number, limit: number, at: number, nodePath: readonly string[]): LabLocation | undefined {
  const stack: FlowContainer[] = [];
  let hit: { container: FlowContainer; location: Omit<LabLocation, 'siblings'> } | undefined;
  const gap = (): void => {
    const container = stack[stack.length - 1];
    if (hit !== undefined || container === undefined) return;
    const word = { text: '', start: at, end: at };
    hit = { container, location: flowLocation(container, word, container.afterColon ? 'value' : 'key', false) };
  };
  let i = open;
  while (i < limit) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 || newline > limit ? limit : newline;
      continue;
    }
    if (at <= i && !isScalarStart(ch)) gap();
    else if (at < i) gap();
    const top = stack[stack.length - 1];
    if (ch === '{' || ch === '[') {
      // Deeper than any lab file (the parser refuses it too): stop, and never build quadratic paths.
      if (stack.length + nodePath.length >= MAX_NESTING_DEPTH) {
        if (hit === undefined) return undefined;
        break;
      }
      stack.push({ kind: ch === '{' ? 'map' : 'seq', path: childPath(top, nodePath), names: [], pendingKey: undefined, afterColon: false });
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      const closed = stack.pop();
      if (closed !== undefined && closed === hit?.container) break;
      if (stack.length === 0) break;
      i++;
      continue;
    }
    if (ch === ',') {
      if (top !== undefined) {
        top.pendingKey = undefined;
        top.afterColon = false;
      }
      i++;
      continue;
    }
    if (ch === ':') {
      if (top?.kind === 'map') top.afterColon = true;
      i++;
      continue;
    }
    const end = ch === '"' || ch === "'" ? quotedEnd(text, i, limit) : plainEnd(text, i, limit);
    const token = { text: ch === '"' || ch === "'" ? unquote(text.slice(i, end)) : text.slice(i, end), start: i, end };
    let after = end;
    while (after < limit && (text[after] === ' ' || text[after] === '\t')) after++;
    const isKey = text[after] === ':' && top?.kind === 'map' && !top.afterColon;
    if (top !== undefined && hit === undefined && at >= token.start && at <= token.end) {
      const role = top.kind === 'seq' ? 'item' : isKey || !top.afterColon ? 'key' : 'value';
      hit = { container: top, location: flowLocation(top, token, role, isKey) };
    }
    if (top?.kind === 'seq') top.names.push({ text: token.text, start: token.start });
    else if (top !== undefined && !top.afterColon) {
      top.names.push({ text: token.text, start: token.start });
      if (isKey) {
        top.pendingKey = token.text;
        top.afterColon = true;
        after++;
      }
    }
    i = Math.max(after, i + 1);
  }
  if (hit === undefined && at <= limit) gap();
  if (hit === undefined) return undefined;
  const { container, location } = hit;
  const siblings = container.names.filter((name) => name.start !== location.word.start).map((name) => name.text);
  return { ...location, siblings };
}

function isScalarStart(ch: string): boolean {
  return ch !== '{' && ch !== '[' && ch !== '}' && ch !== ']' && ch !== ',' && ch !== ':';
}

/** The path of a collection opening inside `top` (or at the top of the scan). */
function childPath(top: FlowContainer | undefined, nodePath: readonly string[]): readonly string[] {
  if (top === undefined) return nodePath;
  if (top.kind === 'seq') return [...top.path, '-'];
  return [...top.path, top.pendingKey ?? '?'];
}

function flowLocation(container: FlowContainer, word: LabWord, role: LabLocationRole, colonAfter: boolean): Omit<LabLocation, 'siblings'> {
  if (container.kind === 'seq') {
    return { path: container.path.slice(0, -1), role: 'item', key: container.path[container.path.length - 1], word, flow: true, colonAfter: false };
  }
  if (role === 'value') return { path: container.path, role, key: container.pendingKey, word, flow: true, colonAfter: false };
  return { path: container.path, role: 'key', key: word.text === '' ? undefined : word.text, word, flow: true, colonAfter };
}

/** Where a plain scalar in a flow collection, starting at `start`, ends. */
function plainEnd(text: string, start: number, limit: number): number {
  let end = start;
  for (let i = start; i < limit; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r' || ch === ',' || ch === '{' || ch === '}' || ch === '[' || ch === ']') break;
    if (ch === ':' && /[\s,{}[\]]/.test(text[i + 1] ?? ' ')) break;
    if (ch === '#' && /\s/.test(text[i - 1] ?? ' ')) break;
    if (ch !== ' ' && ch !== '\t') end = i + 1;
  }
  return Math.max(end, start + 1);
}

/** Where a quoted scalar starting at `start` ends (after its closing quote, or at `limit`). */
function quotedEnd(text: string, start: number, limit: number): number {
  const close = closingQuote(text, start, limit);
  return close === -1 ? limit : close + 1;
}
