import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GUEST_BUILDER_VERSION,
  defaultDebCacheDir,
  defaultGuestCacheRoot,
  guestCacheKey,
  makeBuildDir,
  publishBuild,
  type GuestInputs,
} from '../../../extension/core/machines/guest-image/cache';
import { guestTemplates } from '../../../extension/core/machines/guest-image/inputs';
import { GUEST_MODULES } from '../../../extension/core/machines/guest-image/modules';

const inputs: GuestInputs = {
  builderVersion: GUEST_BUILDER_VERSION,
  kernelPackage: { name: 'linux-image-6.1.0-56-amd64', version: '6.1.192-2' },
  toolPackages: { 'busybox-static': '1:1.35.0-4', 'dropbear-bin': '2022.83-1', sysbench: '1.0.20', iperf3: '3.12-1', iperf: '2.1.8' },
  modules: GUEST_MODULES,
  templates: guestTemplates(),
};

describe('guestCacheKey', () => {
  it('is 16 hex digits and the same for the same inputs', () => {
    const key = guestCacheKey(inputs);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(guestCacheKey(structuredClone(inputs))).toBe(key);
  });

  it('does not depend on the order of keys', () => {
    const reordered: GuestInputs = {
      templates: Object.fromEntries(Object.entries(inputs.templates).reverse()),
      toolPackages: Object.fromEntries(Object.entries(inputs.toolPackages).reverse()),
      modules: inputs.modules,
      kernelPackage: { version: inputs.kernelPackage.version, name: inputs.kernelPackage.name },
      builderVersion: inputs.builderVersion,
    };
    expect(guestCacheKey(reordered)).toBe(guestCacheKey(inputs));
  });

  it('changes with every input', () => {
    const key = guestCacheKey(inputs);
    const variants: GuestInputs[] = [
      { ...inputs, builderVersion: inputs.builderVersion + 1 },
      { ...inputs, kernelPackage: { ...inputs.kernelPackage, version: '6.1.193-1' } },
      { ...inputs, kernelPackage: { ...inputs.kernelPackage, name: 'linux-image-6.1.0-57-amd64' } },
      { ...inputs, toolPackages: { ...inputs.toolPackages, sysbench: '1.0.21' } },
      { ...inputs, modules: [...inputs.modules, 'virtio_console'] },
      { ...inputs, templates: { ...inputs.templates, '/init': `${inputs.templates['/init']}# changed\n` } },
    ];
    const keys = variants.map(guestCacheKey);
    expect(keys).not.toContain(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is pinned for fixed inputs, so that an accidental change of the key function shows', () => {
    const fixed: GuestInputs = { ...inputs, templates: { '/init': '#!/bin/sh\n' }, modules: ['evdev'], builderVersion: 1 };
    expect(guestCacheKey(fixed)).toBe(guestCacheKey({ ...fixed }));
    expect(guestCacheKey(fixed)).toMatchInlineSnapshot(`"9ffa56318aa911af"`);
  });
});

describe('cache folders', () => {
  it('use XDG_CACHE_HOME when it is absolute, ~/.cache otherwise', () => {
    expect(defaultGuestCacheRoot({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/qemu-lab/guest');
    expect(defaultDebCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/qemu-lab/debs');
    expect(defaultGuestCacheRoot({ HOME: '/home/u' })).toBe('/home/u/.cache/qemu-lab/guest');
    expect(defaultGuestCacheRoot({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/qemu-lab/guest');
  });
});

describe('publishBuild', () => {
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lets the first of two racing builds win and drops the second', async () => {
    const first = await makeBuildDir(root, 'abc');
    const second = await makeBuildDir(root, 'abc');
    writeFileSync(join(first, 'who'), 'first');
    writeFileSync(join(second, 'who'), 'second');
    const final = join(root, 'abc');
    expect(await publishBuild(first, final)).toBe(true);
    expect(await publishBuild(second, final)).toBe(false);
    expect(readFileSync(join(final, 'who'), 'utf8')).toBe('first');
    expect(() => readFileSync(join(second, 'who'))).toThrow();
  });
});
