import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoizedInputs } from '../../../extension/core/machines/guest-image/inputs-memo';
import { fixedGuestInputs, type ResolvedInputs } from '../../../extension/core/machines/guest-image/inputs';

const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const resolved = (version: string): ResolvedInputs => ({
  inputs: {
    builderVersion: 1,
    kernelPackage: { name: 'linux-image-x', version },
    toolPackages: [],
    modules: [],
    templates: {},
  } as unknown as ResolvedInputs['inputs'],
  cachedKernelDeb: undefined,
});

describe('memoizedInputs', () => {
  it('asks once while the package state is unchanged', async () => {
    let calls = 0;
    const resolve = async () => (calls += 1, resolved(`v${calls}`));
    const first = await memoizedInputs(dir, resolve);
    const second = await memoizedInputs(dir, resolve);
    expect(calls).toBe(1);
    expect(second).toEqual(first);
  });

  it('asks again when the fixed inputs changed (a new /init builds a new guest, whatever apt says)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'qemu-lab-memo-'));
    let calls = 0;
    const resolve = async () => (calls += 1, resolved(`v${calls}`));
    const fixed = fixedGuestInputs();
    await memoizedInputs(other, resolve, fixed);
    await memoizedInputs(other, resolve, fixed);
    expect(calls).toBe(1);
    await memoizedInputs(other, resolve, { ...fixed, templates: { ...fixed.templates, '/init': `${fixed.templates['/init'] ?? ''}\n# changed` } });
    expect(calls).toBe(2);
    rmSync(other, { recursive: true, force: true });
  });

  it('never memoizes inputs that came from the download cache (apt could not answer)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'qemu-lab-memo-'));
    let calls = 0;
    const resolve = async () => (calls += 1, { ...resolved('x'), cachedKernelDeb: '/cache/k.deb' });
    await memoizedInputs(other, resolve);
    await memoizedInputs(other, resolve);
    expect(calls).toBe(2);
    rmSync(other, { recursive: true, force: true });
  });
});
