import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLabFile } from '../../../extension/core/lab/load';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readLabFile', () => {
  it('reads and validates a file, keeping its absolute path', async () => {
    const path = write('qemu-lab.yaml', 'vms:\n  vm1: { cpus: 2 }\n');
    const { lab, diagnostics } = await readLabFile(relative(process.cwd(), path));
    expect(diagnostics).toEqual([]);
    expect(lab?.path).toBe(path);
    expect(lab?.vms.get('vm1')?.cpus).toBe(2);
  });

  it('reports diagnostics with the absolute path', async () => {
    const path = write('bad.qemu-lab.yaml', 'vms:\n  vm1: { cpus: 0 }\n');
    const { diagnostics } = await readLabFile(relative(process.cwd(), path));
    expect(diagnostics.map((d) => [d.path, d.code])).toEqual([[path, 'out-of-range']]);
  });

  it('says how to create a missing file', async () => {
    const path = join(dir, 'missing.qemu-lab.yaml');
    const { lab, diagnostics } = await readLabFile(path);
    expect(lab).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ path, code: 'file-not-found', severity: 'error', span: { line: 1, column: 1 } });
    expect(diagnostics[0]?.message).toContain('qemu-lab init');
    expect(diagnostics[0]?.message).toContain('QEMU Lab: New Lab File');
  });

  it('refuses a directory', async () => {
    const { lab, diagnostics } = await readLabFile(dir);
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const path = write('latin1.qemu-lab.yaml', Buffer.from([0x76, 0x6d, 0x73, 0x3a, 0x20, 0xe9, 0x0a]));
    const { lab, diagnostics } = await readLabFile(path);
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['not-text']);
  });

  it('strips a UTF-8 byte order mark', async () => {
    const path = write('bom.qemu-lab.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('vms:\n  vm1: {}\n')]));
    const { lab, diagnostics } = await readLabFile(path);
    expect(diagnostics).toEqual([]);
    expect(lab?.vms.get('vm1')?.span).toMatchObject({ line: 2, column: 3 });
  });

  it('refuses a huge file without reading it all', async () => {
    const path = write('huge.qemu-lab.yaml', Buffer.alloc(5 * 1024 * 1024, 0x61));
    const { lab, diagnostics } = await readLabFile(path);
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    expect(diagnostics[0]?.message).toContain('at most 1M');
  });
});
