import { describe, expect, it } from 'vitest';
import { parseLddOutput } from '../../../extension/core/machines/guest-image/libraries';
import { guestFixture } from './fixtures';

describe('parseLddOutput', () => {
  it('lists resolved libraries and the dynamic loader, without the vDSO', () => {
    const report = parseLddOutput(guestFixture('ldd-dropbear.txt'));
    expect(report.isStatic).toBe(false);
    expect(report.missing).toEqual([]);
    expect(report.libraries).toEqual([
      '/lib/x86_64-linux-gnu/libtomcrypt.so.1',
      '/lib/x86_64-linux-gnu/libtommath.so.1',
      '/lib/x86_64-linux-gnu/libz.so.1',
      '/lib/x86_64-linux-gnu/libcrypt.so.1',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libgmp.so.10',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('handles a long list with indirect dependencies', () => {
    const report = parseLddOutput(guestFixture('ldd-sysbench.txt'));
    expect(report.libraries).toHaveLength(31);
    expect(report.libraries).toContain('/lib/x86_64-linux-gnu/libluajit-5.1.so.2');
    expect(report.libraries).toContain('/lib64/ld-linux-x86-64.so.2');
    expect(report.libraries.every((path) => path.startsWith('/'))).toBe(true);
    expect(report.libraries.some((path) => path.includes('vdso'))).toBe(false);
  });

  it('recognises a static binary', () => {
    const report = parseLddOutput(guestFixture('ldd-busybox-static.txt'));
    expect(report).toEqual({ libraries: [], missing: [], isStatic: true });
  });

  it('reports libraries that are not found', () => {
    const report = parseLddOutput(guestFixture('ldd-missing.txt'));
    expect(report.missing).toEqual(['libfoo.so.7']);
    expect(report.libraries).toEqual(['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });
});
