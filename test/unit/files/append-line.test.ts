import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLine } from '../../../extension/core/infrastructure/files/append-line';
import { appendMigrationRecord, makeMigrationRecord, migrationsFilePath } from '../../../extension/core/migration/store';
import type { MigrationSummary } from '../../../extension/core/migration/summary';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-append-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appendLine', () => {
  it('only appends: what was there stays byte for byte, a torn last line gets its own line', async () => {
    const path = join(dir, 'results', 'results.jsonl');
    await appendLine(path, '{"a":1}', { mode: 0o644 });
    await writeFile(path, `${await readFile(path, 'utf8')}{"torn":`, { flag: 'a' });
    const before = await readFile(path, 'utf8');
    await appendLine(path, '{"b":2}', { mode: 0o644 });
    const after = await readFile(path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe('\n{"b":2}\n');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('keeps every line whole when many appends race', async () => {
    const path = join(dir, 'r.jsonl');
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 7) }));
    await Promise.all(lines.map((line) => appendLine(path, line, { mode: 0o600 })));
    const read = (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
    expect(read.sort()).toEqual([...lines].sort());
  });

  it('refuses a line with a newline in it (it would be two records)', async () => {
    await expect(appendLine(join(dir, 'x'), 'a\nb', { mode: 0o600 })).rejects.toThrow(RangeError);
  });

  it('is how migration records are stored: earlier records stay', async () => {
    const first = makeMigrationRecord('/lab/qemu-lab.yaml', { vm: 'vm1' } as unknown as MigrationSummary);
    await appendMigrationRecord(dir, first);
    const before = await readFile(migrationsFilePath(dir), 'utf8');
    await appendMigrationRecord(dir, makeMigrationRecord('/lab/qemu-lab.yaml', { vm: 'vm1' } as unknown as MigrationSummary));
    expect((await readFile(migrationsFilePath(dir), 'utf8')).startsWith(before)).toBe(true);
  });
});
