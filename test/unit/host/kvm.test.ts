import { describe, expect, it } from 'vitest';
import { HostError } from '../../../extension/core/errors';
import { judgeKvm, parseCpuFlags, resolveAccel, type KvmFacts } from '../../../extension/core/infrastructure/hosts/probes/kvm';

const facts = (over: Partial<KvmFacts>): KvmFacts => ({
  devKvmExists: true,
  devKvmAccessible: true,
  cpuFlags: new Set(['fpu', 'vmx']),
  modules: new Set(['kvm', 'kvm_intel']),
  ...over,
});

describe('judgeKvm', () => {
  it('accepts a normal Intel host', () => {
    expect(judgeKvm(facts({})).usable).toBe(true);
  });
  it('rejects PVM-backed /dev/kvm (this CI machine) with the reason', () => {
    const status = judgeKvm(facts({ cpuFlags: new Set(['fpu', 'hypervisor']), modules: new Set(['kvm', 'kvm_pvm']) }));
    expect(status.usable).toBe(false);
    expect(status.reason).toMatch(/PVM/);
  });
  it('rejects a missing /dev/kvm and says to load the module when the CPU can', () => {
    const status = judgeKvm(facts({ devKvmExists: false, cpuFlags: new Set(['svm']) }));
    expect(status.usable).toBe(false);
    expect(status.reason).toMatch(/modprobe/);
  });
  it('rejects an inaccessible /dev/kvm and names the kvm group', () => {
    expect(judgeKvm(facts({ devKvmAccessible: false })).reason).toMatch(/kvm group/);
  });
});

describe('parseCpuFlags', () => {
  it('reads the first flags line', () => {
    const flags = parseCpuFlags('processor\t: 0\nflags\t\t: fpu vme svm\nbugs\t: x\n');
    expect([...flags]).toEqual(['fpu', 'vme', 'svm']);
  });
  it('gives an empty set without a flags line', () => {
    expect(parseCpuFlags('').size).toBe(0);
  });
});

describe('resolveAccel', () => {
  const usable = { usable: true, reason: 'ok' };
  const unusable = { usable: false, reason: 'PVM here' };
  it('auto picks kvm when usable and tcg otherwise, saying why', () => {
    expect(resolveAccel('auto', usable, 'local').accel).toBe('kvm');
    const choice = resolveAccel('auto', unusable, 'local');
    expect(choice.accel).toBe('tcg');
    expect(choice.why).toMatch(/PVM here/);
  });
  it('kvm on an unusable host fails fast, never silently falls back', () => {
    expect(() => resolveAccel('kvm', unusable, 'lab-b')).toThrow(HostError);
    expect(() => resolveAccel('kvm', unusable, 'lab-b')).toThrow(/lab-b/);
  });
  it('tcg is always tcg', () => {
    expect(resolveAccel('tcg', usable, 'local').accel).toBe('tcg');
  });
});
