import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMachineHelp, parseNicModels } from '../../../extension/core/infrastructure/hosts/probes/qemu-help';

// Captured from Debian 12's QEMU 7.2 on this machine.
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/qemu', name), 'utf8');

describe('parseMachineHelp on QEMU 7.2 output', () => {
  const machines = parseMachineHelp(fixture('machine-help-7.2.txt'));
  it('finds q35 and pc as aliases of the versioned types', () => {
    expect(machines.find((m) => m.name === 'q35')?.aliasOf).toMatch(/^pc-q35-7\.2$/);
    expect(machines.find((m) => m.name === 'pc')?.aliasOf).toBe('pc-i440fx-7.2');
  });
  it('marks the default and strips the markers from descriptions', () => {
    const byDefault = machines.filter((m) => m.isDefault).map((m) => m.name);
    expect(byDefault).toEqual(['pc-i440fx-7.2']);
    expect(machines.find((m) => m.name === 'pc')?.description).toBe('Standard PC (i440FX + PIIX, 1996)');
  });
  it('skips the header', () => {
    expect(machines.some((m) => m.name === 'Supported')).toBe(false);
    expect(machines.length).toBeGreaterThan(20);
  });
});

describe('parseNicModels on QEMU 7.2 output', () => {
  const nics = parseNicModels(fixture('device-help-7.2.txt'));
  it('lists the NICs the course compares, with aliases', () => {
    expect(nics.find((n) => n.name === 'e1000')).toEqual({ name: 'e1000', bus: 'PCI', alias: 'e1000-82540em', description: 'Intel Gigabit Ethernet' });
    expect(nics.find((n) => n.name === 'virtio-net-pci')?.alias).toBe('virtio-net');
    expect(nics.find((n) => n.name === 'rtl8139')?.description).toBeUndefined();
  });
  it('reads only the Network devices section', () => {
    expect(nics.some((n) => n.name === 'virtio-rng-pci')).toBe(false);
    expect(nics.some((n) => n.name === 'virtio-blk-pci')).toBe(false);
  });
});
