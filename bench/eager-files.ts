import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A static import or re-export of a file beside it, as esbuild writes them (minified or not):
// `import{a as b}from"./chunk-X.mjs"`, `import"./chunk-X.mjs"`, `export*from"./chunk-X.mjs"`.
// `import("./chunk-X.mjs")` (a chunk loaded on first use) has a parenthesis and does not match.
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+)["']/g;

/**
 * The files of a build that loading `entry` loads at once: the entry and every file it imports
 * statically, transitively. What it imports with `import()` loads on first use and is not
 * counted. The extension is split this way (scripts/build.mjs), so the size of what activation
 * loads is the sum over these files.
 */
export function eagerFiles(outdir: string, entry: string): string[] {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    const text = readFileSync(join(outdir, file), 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT)) {
      const imported = match[1]?.slice(2);
      if (imported === undefined || seen.has(imported)) continue;
      seen.add(imported);
      todo.push(imported);
    }
  }
  return [...seen].sort();
}
