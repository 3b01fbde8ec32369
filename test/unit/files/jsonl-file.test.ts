import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlFile, jsonlLine, parseJsonl } from '../../../extension/core/infrastructure/files/jsonl-file';

describe('parseJsonl', () => {
  it('keeps values with their line numbers, skips blank lines, and tells a torn last line from a corrupt one', () => {
    const { values, bad } = parseJsonl('{"a":1}\n\n{oops\n  [2]  \n{"b":');
    expect(values).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
    ]);
    expect(bad.map(({ line, unfinished }) => ({ line, unfinished }))).toEqual([
      { line: 3, unfinished: false },
      { line: 5, unfinished: true },
    ]);
    expect(bad[0]?.error).toBeInstanceOf(SyntaxError);
  });

  it('a complete file (ending in a newline) has no unfinished line', () => {
    const { bad } = parseJsonl('{oops\n');
    expect(bad).toEqual([expect.objectContaining({ line: 1, unfinished: false })]);
  });

  it('uses the parser it is given', () => {
    const refuse = (line: string): unknown => {
      if (line.includes('9')) throw new RangeError('too big');
      return JSON.parse(line);
    };
    const { values, bad } = parseJsonl('1\n9\n', refuse);
    expect(values).toEqual([{ line: 1, value: 1 }]);
    expect(bad[0]?.error).toBeInstanceOf(RangeError);
  });
});

describe('jsonlLine', () => {
  it('is one line of JSON, newlines in strings escaped', () => {
    expect(jsonlLine({ text: 'a\nb' })).toBe('{"text":"a\\nb"}');
  });

  it('throws a TypeError for what has no JSON form', () => {
    expect(() => jsonlLine(undefined)).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => jsonlLine(cycle)).toThrow(TypeError);
  });
});

describe('JsonlFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qemu-lab-jsonl-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a missing file reads as undefined; appended lines read back in order', async () => {
    const file = new JsonlFile(join(dir, 'sub', 'x.jsonl'), 0o600);
    expect(await file.read()).toBeUndefined();
    await file.append(jsonlLine({ n: 1 }));
    await file.append(jsonlLine({ n: 2 }));
    expect(await readFile(file.path, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    expect((await file.read())?.values.map((v) => v.value)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('an append after a torn line starts on a fresh line, and the torn one is reported, not the new one', async () => {
    const file = new JsonlFile(join(dir, 'x.jsonl'), 0o600);
    await writeFile(file.path, '{"n":1}\n{"n":');
    await file.append(jsonlLine({ n: 3 }));
    const contents = await file.read();
    expect(contents?.values.map((v) => v.value)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(contents?.bad.map((b) => b.line)).toEqual([2]);
  });

  it('throws what the file system throws for a file it cannot read', async () => {
    await expect(new JsonlFile(dir, 0o600).read()).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
