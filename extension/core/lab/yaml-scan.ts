/**
 * The bounded first pass over a lab file's YAML. `yaml`'s CST parser slows down and grows with
 * nesting (1 MiB of `[` took ~10 s and ~1 GB), so the text is lexed and parsed one lexeme at a
 * time with the limits checked after each: deep nesting or an alias flood is refused as soon as
 * it appears, before anything more is built. Using yaml's own lexer and parser (not a separate
 * character scanner) means the limits measure exactly what the parser sees: quotes, comments and
 * plain scalars holding `[` cannot hide or fake nesting.
 */
import { CST, Lexer, Parser } from 'yaml';

/** The limits {@link scanYaml} enforces. */
export interface YamlScanLimits {
  /** Deepest nesting of mappings and lists (block or flow) accepted. */
  readonly maxDepth: number;
  /** Most aliases (`*name`) accepted in one text. */
  readonly maxAliases: number;
}

/** The CST of the text, or which limit it broke and where. */
export type YamlScanResult =
  | { readonly ok: true; readonly tokens: readonly CST.Token[] }
  | { readonly ok: false; readonly limit: 'depth' | 'aliases'; readonly offset: number };

const COLLECTIONS: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

/** Parses `text` into CST tokens, stopping at the first lexeme that breaks one of `limits`. */
export function scanYaml(text: string, limits: YamlScanLimits): YamlScanResult {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let aliases = 0;
  // The lexeme after a SCALAR marker is a scalar's text, which may begin with `*` without being an alias.
  let scalarNext = false;
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    if (scalarNext) scalarNext = false;
    else if (lexeme === CST.SCALAR) scalarNext = true;
    else if (lexeme.startsWith('*') && ++aliases > limits.maxAliases) return { ok: false, limit: 'aliases', offset };
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds every open node; only counting collections when it is long keeps this linear.
    if (parser.stack.length > limits.maxDepth) {
      const deepest = deepestOverLimit(parser.stack, limits.maxDepth);
      if (deepest !== undefined) return { ok: false, limit: 'depth', offset: deepest };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { ok: true, tokens };
}

/** Offset of the first open collection beyond `maxDepth` collections, or `undefined`. */
function deepestOverLimit(stack: readonly CST.Token[], maxDepth: number): number | undefined {
  let depth = 0;
  for (const token of stack) {
    if (COLLECTIONS.has(token.type) && ++depth > maxDepth) return token.offset;
  }
  return undefined;
}
