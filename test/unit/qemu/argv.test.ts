import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildQemuArgv, memoryMiB, nicDriver, qemuOptionValue } from '../../../extension/core/infrastructure/qemu/argv';
import type { QemuLaunchPlan } from '../../../extension/core/infrastructure/qemu/launch-plan';

// As libvirt's qemuxml2argv tests do: each case is a plan (.plan.json) and the argv we expect,
// one argument a line (.args). QEMU_LAB_REGENERATE=1 rewrites the .args files; review the diff.
const fixtures = join(__dirname, '../../fixtures/argv');
const cases = readdirSync(fixtures)
  .filter((file) => file.endsWith('.plan.json'))
  .map((file) => file.slice(0, -'.plan.json'.length));

describe('buildQemuArgv against stored argv files', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const name of cases) {
    it(name, () => {
      const plan = JSON.parse(readFileSync(join(fixtures, `${name}.plan.json`), 'utf8')) as QemuLaunchPlan;
      const actual = buildQemuArgv(plan).join('\n') + '\n';
      const expectedPath = join(fixtures, `${name}.args`);
      if (process.env.QEMU_LAB_REGENERATE === '1') writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }
});

describe('argument pieces', () => {
  it('maps virtio to virtio-net-pci and passes other models through', () => {
    expect(nicDriver('virtio')).toBe('virtio-net-pci');
    expect(nicDriver('e1000')).toBe('e1000');
    expect(nicDriver('rtl8139')).toBe('rtl8139');
  });

  it('rounds memory up to whole MiB', () => {
    expect(memoryMiB(1024 ** 3)).toBe(1024);
    expect(memoryMiB(1024 ** 2 + 1)).toBe(2);
  });

  it('doubles commas so a path cannot split an option', () => {
    expect(qemuOptionValue('/tmp/a,b/qmp.sock')).toBe('/tmp/a,,b/qmp.sock');
  });

  it('keeps hostile names as single arguments', () => {
    const argv = buildQemuArgv({
      name: "vm $(rm -rf ~) `x` 'q' ü",
      machine: 'q35',
      accel: 'tcg',
      cpus: 1,
      memoryBytes: 1024 ** 3,
      nic: 'virtio',
      network: { kind: 'user', sshHostPort: 2222, forwards: [] },
      boot: { kind: 'kernel', kernel: '/k', initrd: '/i', append: 'console=ttyS0' },
      files: { qmpSocket: '/r/q', watchSocket: '/r/w', serialSocket: '/r/s', serialLog: '/r/l', pidFile: '/r/p', vncSocket: undefined },
      incoming: undefined,
      extraArgs: [],
    });
    expect(argv[0]).toBe('-name');
    expect(argv[1]).toBe("vm $(rm -rf ~) `x` 'q' ü,process=qemu-lab:vm $(rm -rf ~) `x` 'q' ü");
  });
});
