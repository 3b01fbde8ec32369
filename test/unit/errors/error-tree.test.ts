// The error tree drawn in extension/core/errors.ts stays true: each class drawn exists in the
// file drawn beside it and extends the class drawn above it, and every error class under
// extension/core is drawn.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const coreRoot = resolve(__dirname, '../../../extension/core');

/** One class of the drawing: its name, the file it is drawn in (none for JavaScript's own), its parent. */
interface DrawnClass {
  readonly name: string;
  readonly file: string | undefined;
  readonly parent: string | undefined;
}

/** Reads the ``` block of errors.ts's module comment: depth from the tree prefix (4 columns a level). */
function parseDrawing(source: string): DrawnClass[] {
  const comment = source.slice(0, source.indexOf('*/'));
  const [, block = ''] = /```\n([\s\S]*?) \* ```/.exec(comment) ?? [];
  const drawn: DrawnClass[] = [];
  const stack: string[] = [];
  for (const raw of block.split('\n')) {
    const text = raw.replace(/^ \*( |$)/, '');
    if (text.trim() === '') continue;
    const match = /^([│├└─ ]*)([A-Za-z]\w*)(.*?)(?:\s{2,}(\S+\.ts))?\s*$/.exec(text);
    if (match === null) throw new Error(`Cannot read the drawing's line: ${text}`);
    const [, prefix = '', name = '', , file] = match;
    if (prefix.length % 4 !== 0) throw new Error(`The tree prefix of ${name} is not a whole number of levels: "${prefix}"`);
    const depth = prefix.length / 4;
    if (depth > stack.length) throw new Error(`${name} is drawn deeper than the line above it allows.`);
    stack.length = depth;
    drawn.push({ name, file, parent: stack[depth - 1] });
    stack.push(name);
  }
  return drawn;
}

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}

/** Every `class X extends …Error` under extension/core, as `X in file`. */
async function declaredErrorClasses(): Promise<string[]> {
  const found: string[] = [];
  for (const path of await tsFiles(coreRoot)) {
    const text = await readFile(path, 'utf8');
    for (const m of text.matchAll(/\bclass\s+(\w+)\s+extends\s+(\w*Error)\b/g)) found.push(`${m[1]} in ${relative(coreRoot, path)}`);
  }
  return found.sort();
}

describe('the error tree drawn in core/errors.ts', () => {
  it('each class drawn exists in its file and extends the class drawn above it', async () => {
    const drawn = parseDrawing(await readFile(join(coreRoot, 'errors.ts'), 'utf8'));
    expect(drawn.length).toBeGreaterThan(10);
    const classes = new Map<string, unknown>();
    for (const entry of drawn) {
      const value: unknown =
        entry.file === undefined
          ? (globalThis as Record<string, unknown>)[entry.name]
          : ((await import(join(coreRoot, entry.file))) as Record<string, unknown>)[entry.name];
      expect(typeof value, `${entry.name} (${entry.file ?? 'JavaScript'})`).toBe('function');
      classes.set(entry.name, value);
      if (entry.parent !== undefined) {
        expect(Object.getPrototypeOf(value), `${entry.name} extends ${entry.parent}`).toBe(classes.get(entry.parent));
      }
    }
  });

  it('draws every error class declared under extension/core, in its file', async () => {
    const drawn = parseDrawing(await readFile(join(coreRoot, 'errors.ts'), 'utf8'))
      .filter((c) => c.file !== undefined)
      .map((c) => `${c.name} in ${c.file}`)
      .sort();
    expect(drawn).toEqual(await declaredErrorClasses());
  });

  it('reads a drawing as the tree it shows', () => {
    const source = '/**\n * ```\n * A            a.ts\n * ├── B  the b  b.ts\n * │   └── C    c.ts\n * └── D\n *\n * E\n * ```\n */';
    expect(parseDrawing(source)).toEqual([
      { name: 'A', file: 'a.ts', parent: undefined },
      { name: 'B', file: 'b.ts', parent: 'A' },
      { name: 'C', file: 'c.ts', parent: 'B' },
      { name: 'D', file: undefined, parent: 'A' },
      { name: 'E', file: undefined, parent: undefined },
    ]);
  });
});
