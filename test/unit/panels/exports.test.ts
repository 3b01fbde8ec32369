import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically, writeFilesAtomically } from '../../../extension/vscode/panels/atomic-write';
import { defaultExportPath, pngBytes, reportFiles } from '../../../extension/vscode/panels/exports';
import { reportInput } from '../../../extension/core/reports/report-input';
import { PNG_DATA_URL_PREFIX } from '../../../webview/protocol';
import { kvmVsTcgRun, runLogOf } from './experiment-records';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-exports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const records = kvmVsTcgRun('3f2a1c9e-0000-4000-8000-000000000000');
const input = reportInput(records, 'kvm-vs-tcg', '/lab/qemu-lab.yaml', runLogOf({ experiment: 'kvm-vs-tcg', runId: '3f2a1c9e-0000-4000-8000-000000000000', labPath: '/lab/qemu-lab.yaml' }), '3f2a1c9e-0000-4000-8000-000000000000');

describe('defaultExportPath', () => {
  it('proposes .qemu-lab/reports/ of the lab folder, named after the experiment and run', () => {
    expect(defaultExportPath('/lab', 'md', 'kvm-vs-tcg', 'r')).toBe('/lab/.qemu-lab/reports/kvm-vs-tcg-report.md');
    expect(defaultExportPath('/lab', 'html', 'kvm-vs-tcg', 'r')).toBe('/lab/.qemu-lab/reports/kvm-vs-tcg-report.html');
    expect(defaultExportPath('/lab', 'csv', 'kvm-vs-tcg', '3f2a1c9e-aaaa')).toBe('/lab/.qemu-lab/reports/kvm-vs-tcg-3f2a1c9e.csv');
    expect(defaultExportPath('/lab', 'png', 'kvm-vs-tcg', '3f2a1c9e-aaaa', 'bar-sysbench-cpu')).toBe('/lab/.qemu-lab/reports/kvm-vs-tcg-3f2a1c9e-bar-sysbench-cpu.png');
  });

  it('keeps names from leaving the folder', () => {
    expect(defaultExportPath('/lab', 'png', '../../etc/x', undefined, '../passwd')).toBe('/lab/.qemu-lab/reports/etc_x-passwd.png');
  });
});

describe('reportFiles', () => {
  it('Markdown: the SVG charts first, beside the report where its links point, then the report', () => {
    const files = reportFiles('md', input, '/out/course/report.md');
    expect(files.map((f) => f.path)).toEqual(['/out/course/charts/kvm-vs-tcg-sysbench-cpu.svg', '/out/course/report.md']);
    expect(String(files[0]?.content)).toMatch(/^<svg/);
    expect(String(files[1]?.content)).toContain('![sysbench-cpu: events per second](charts/kvm-vs-tcg-sysbench-cpu.svg)');
    expect(String(files[1]?.content)).toContain('KVM 9.6× faster than TCG');
  });

  it('HTML: one self-contained file; CSV: the raw values, one row per measured run', () => {
    const [html] = reportFiles('html', input, '/out/r.html');
    expect(html?.path).toBe('/out/r.html');
    expect(String(html?.content)).toMatch(/^<!doctype html>[\s\S]*<svg/);
    const [csv] = reportFiles('csv', input, '/out/r.csv');
    expect(String(csv?.content).trim().split('\n')).toHaveLength(1 + records.length);
  });
});

describe('pngBytes', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

  it('decodes a PNG data URL', () => {
    expect(Buffer.from(pngBytes(`${PNG_DATA_URL_PREFIX}${png.toString('base64')}`))).toEqual(png);
  });

  it('refuses anything else', () => {
    expect(() => pngBytes('data:image/svg+xml;base64,PHN2Zz4=')).toThrow(/PNG data URL/);
    expect(() => pngBytes(`${PNG_DATA_URL_PREFIX}${Buffer.from('<svg>').toString('base64')}`)).toThrow(/not a PNG/);
  });
});

describe('writeFileAtomically', () => {
  it('creates the folders and writes the file, leaving no temporary file', async () => {
    const target = join(dir, 'a', 'b', 'report.md');
    await writeFileAtomically(target, '# report\n');
    expect(await readFile(target, 'utf8')).toBe('# report\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['report.md']);
  });

  it('replaces a file whole and keeps its mode', async () => {
    const target = join(dir, 'report.csv');
    await writeFile(target, 'old content that is longer than the new one\n');
    await chmod(target, 0o600);
    await writeFileAtomically(target, new Uint8Array([0x61, 0x0a]));
    expect(await readFile(target, 'utf8')).toBe('a\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('on failure leaves the existing target untouched and removes its temporary file', async () => {
    // The rename fails: the target is a folder. Whatever was there stays as it was.
    const target = join(dir, 'report.md');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'precious');
    await expect(writeFileAtomically(target, 'new')).rejects.toThrow();
    expect(await readFile(join(target, 'keep'), 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('writes several files in order and stops at the first failure', async () => {
    await mkdir(join(dir, 'blocked'));
    const files = [
      { path: join(dir, 'charts', 'one.svg'), content: '<svg/>' },
      { path: join(dir, 'blocked'), content: 'x' },
      { path: join(dir, 'report.md'), content: '# r' },
    ];
    await expect(writeFilesAtomically(files)).rejects.toThrow();
    expect(await readFile(join(dir, 'charts', 'one.svg'), 'utf8')).toBe('<svg/>');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'charts']);
  });
});
