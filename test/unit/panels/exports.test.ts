import { describe, expect, it } from 'vitest';
import { defaultExportPath, pngBytes, reportFiles } from '../../../extension/presentation/panels/results/exports';
import { reportInput } from '../../../extension/core/measuring/reports/report-input';
import { PNG_DATA_URL_PREFIX } from '../../../webview/shared/protocol';
import { kvmVsTcgRun, runLogOf } from './experiment-records';

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

  it('Markdown: a stored experiment name that climbs out (../../escaped/x) still writes only beside the report', () => {
    const hostile = reportInput(records.map((r) => ({ ...r, experiment: '../../escaped/x' })), '../../escaped/x', '/lab/qemu-lab.yaml', undefined, '3f2a1c9e-0000-4000-8000-000000000000');
    const paths = reportFiles('md', hostile, '/out/course/report.md').map((f) => f.path);
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths) expect(path.startsWith('/out/course/')).toBe(true);
    expect(paths[0]).toBe('/out/course/charts/escaped_x-sysbench-cpu.svg');
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
