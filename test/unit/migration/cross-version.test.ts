import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQemuVersion, type QemuVersion } from '../../../extension/core/infrastructure/hosts/probes/qemu-binary';
import { parseMachineHelp } from '../../../extension/core/infrastructure/hosts/probes/qemu-help';
import { crossVersionProblem, machineOfArgv } from '../../../extension/core/migration/cross-version';

const v72 = parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)') as QemuVersion;
const v111 = parseQemuVersion('QEMU emulator version 11.1.3 (Debian 1:11.1.3+ds-2~bpo13+1)') as QemuVersion;
// Machine lists of the real QEMUs (captured query-machines replies, and 7.2's -machine help).
const machines111 = (JSON.parse(readFileSync(join(__dirname, '../../fixtures/qemu/qemu-11.1-query-machines.json'), 'utf8')) as { return: { name: string }[] }).return.map((m) => m.name);
const machines72 = parseMachineHelp(readFileSync(join(__dirname, '../../fixtures/qemu/machine-help-7.2.txt'), 'utf8')).map((m) => m.name);
const hosts = { source: 'local', destination: 'new' };

describe('crossVersionProblem', () => {
  it('lets the same release through, whatever the machine type', () => {
    expect(crossVersionProblem({ machine: 'pc', versions: { source: v72, destination: { ...v72, micro: 1 } }, hosts, destinationMachines: [] })).toBeUndefined();
  });
  it('7.2 → 11.1 with pc-i440fx-7.2: 11.1 has it', () => {
    expect(machines111).toContain('pc-i440fx-7.2');
    expect(crossVersionProblem({ machine: 'pc-i440fx-7.2', versions: { source: v72, destination: v111 }, hosts, destinationMachines: machines111 })).toBeUndefined();
  });
  it('11.1 → 7.2 with pc-i440fx-7.2 too', () => {
    expect(crossVersionProblem({ machine: 'pc-i440fx-7.2', versions: { source: v111, destination: v72 }, hosts: { source: 'new', destination: 'local' }, destinationMachines: machines72 })).toBeUndefined();
  });
  it('refuses pc across releases, naming the versioned type to use', () => {
    const problem = crossVersionProblem({ machine: 'pc', versions: { source: v72, destination: v111 }, hosts, destinationMachines: machines111 });
    expect(problem?.message).toMatch(/7\.2 on "local", 11\.1 on "new".*machine type pc, which means the newest pc of each QEMU/);
    expect(problem?.hint).toMatch(/machine: pc-i440fx-7\.2/);
    expect(crossVersionProblem({ machine: 'q35', versions: { source: v111, destination: v72 }, hosts, destinationMachines: machines72 })?.hint).toMatch(/machine: pc-q35-7\.2/);
  });
  it('refuses new → old with a type the old QEMU lacks', () => {
    expect(machines72).not.toContain('pc-i440fx-11.1');
    const problem = crossVersionProblem({ machine: 'pc-i440fx-11.1', versions: { source: v111, destination: v72 }, hosts: { source: 'new', destination: 'local' }, destinationMachines: machines72 });
    expect(problem?.message).toMatch(/QEMU 7\.2 on "local" has no machine type pc-i440fx-11\.1/);
    expect(problem?.hint).toMatch(/machine: pc-i440fx-7\.2/);
  });
  it('reads the machine type a QEMU was started with', () => {
    expect(machineOfArgv(['-name', 'x', '-machine', 'pc-i440fx-7.2', '-accel', 'tcg'])).toBe('pc-i440fx-7.2');
    expect(machineOfArgv(['-machine', 'q35,accel=tcg'])).toBe('q35');
    expect(machineOfArgv(['-m', '1G'])).toBeUndefined();
  });
});
