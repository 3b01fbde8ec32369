import { describe, expect, it } from 'vitest';
import { GuestBuildError } from '../../../extension/core/errors';
import {
  GUEST_MODULES,
  guestModuleFileName,
  moduleName,
  parseModulesBuiltin,
  parseModulesDep,
  resolveModules,
} from '../../../extension/core/machines/guest-image/modules';
import { guestFixture } from './fixtures';

const dep = parseModulesDep(guestFixture('modules.dep'));
const builtin = parseModulesBuiltin(guestFixture('modules.builtin'));

describe('moduleName', () => {
  it('drops folder and .ko suffixes and spells - as _', () => {
    expect(moduleName('kernel/drivers/char/hw_random/virtio-rng.ko')).toBe('virtio_rng');
    expect(moduleName('kernel/net/core/failover.ko.xz')).toBe('failover');
    expect(moduleName('a/b/e1000.ko.zst')).toBe('e1000');
    expect(guestModuleFileName('kernel/x/virtio-rng.ko.xz')).toBe('virtio-rng.ko');
  });
});

describe('parseModulesDep / parseModulesBuiltin', () => {
  it('reads each module with its dependencies', () => {
    expect(dep.get('kernel/drivers/net/virtio_net.ko')).toEqual([
      'kernel/drivers/net/net_failover.ko',
      'kernel/net/core/failover.ko',
      'kernel/drivers/virtio/virtio.ko',
      'kernel/drivers/virtio/virtio_ring.ko',
    ]);
    expect(dep.get('kernel/drivers/input/evdev.ko')).toEqual([]);
  });

  it('reads built-in module names', () => {
    expect(builtin.has('rng_core')).toBe(true);
    expect(builtin.has('8250_pci')).toBe(true);
  });
});

describe('resolveModules', () => {
  it('loads every dependency before its dependents, each once', () => {
    const plan = resolveModules(GUEST_MODULES, dep, builtin);
    expect(plan.missing).toEqual([]);
    expect(plan.builtin).toEqual([]);
    const order = plan.loadOrder;
    expect(new Set(order).size).toBe(order.length);
    for (const [index, path] of order.entries()) {
      for (const needed of dep.get(path) ?? []) expect(order.indexOf(needed)).toBeLessThan(index);
    }
    expect(order.map(moduleName)).toEqual([
      'virtio_pci_legacy_dev',
      'virtio_pci_modern_dev',
      'virtio_ring',
      'virtio',
      'virtio_pci',
      'failover',
      'net_failover',
      'virtio_net',
      'e1000',
      'virtio_rng',
      'virtio_blk',
      'evdev',
      'button',
    ]);
  });

  it('includes only what is asked for and its closure', () => {
    const plan = resolveModules(['virtio_blk'], dep, builtin);
    expect(plan.loadOrder.map(moduleName)).toEqual(['virtio_ring', 'virtio', 'virtio_blk']);
  });

  it('skips built-in modules and reports unknown ones', () => {
    const plan = resolveModules(['rng-core', 'evdev', 'no_such_module'], dep, builtin);
    expect(plan.builtin).toEqual(['rng_core']);
    expect(plan.missing).toEqual(['no_such_module']);
    expect(plan.loadOrder.map(moduleName)).toEqual(['evdev']);
  });

  it('rejects a dependency cycle', () => {
    const cyclic = parseModulesDep('a.ko: b.ko\nb.ko: a.ko\n');
    expect(() => resolveModules(['a'], cyclic, new Set())).toThrow(GuestBuildError);
  });
});
