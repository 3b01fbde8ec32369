import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  domainHasQemu,
  parseCapabilities,
  parseDominfo,
  parseDomjobinfo,
  parseDomstate,
  parseDomstats,
  summarizeDomstats,
  vmStateOf,
} from '../../../extension/core/infrastructure/libvirt/virsh-parsers';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

// Output captured from Debian 12's virsh 9.0 against a real libvirtd running the built-in guest.
const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/libvirt/virsh', name), 'utf8');
const NAME = 'qemu-lab-vm1-26ea85f61b';

describe('virsh output parsers (real virsh 9.0 output)', () => {
  it('reads domstate --reason in each state', () => {
    expect(parseDomstate(fixture('domstate-reason-running.txt'))).toEqual({ state: 'running', reason: 'unpaused' });
    expect(parseDomstate(fixture('domstate-reason-paused.txt'))).toEqual({ state: 'paused', reason: 'user' });
    expect(parseDomstate(fixture('domstate-reason-destroyed.txt'))).toEqual({ state: 'shut off', reason: 'destroyed' });
    expect(parseDomstate('shut off\n')).toEqual({ state: 'shut off', reason: undefined });
    expect(parseDomstate('exploded (badly)\n')).toBeUndefined();
  });

  it('maps libvirt states to the states QEMU Lab shows, and knows when QEMU runs', () => {
    expect(vmStateOf('running')).toBe('running');
    expect(vmStateOf('paused')).toBe('paused');
    expect(vmStateOf('in shutdown')).toBe('powering-down');
    expect(vmStateOf('shut off')).toBe('stopped');
    expect(vmStateOf('crashed')).toBe('error');
    expect(domainHasQemu('paused')).toBe(true);
    expect(domainHasQemu('shut off')).toBe(false);
  });

  it('reads dominfo of a running, a paused and a shut-off domain', () => {
    expect(parseDominfo(fixture('dominfo-running.txt'))).toEqual({
      name: NAME,
      uuid: '4f89f2a4-db5f-48af-8a0a-e714b0ae4fea',
      state: 'running',
      cpus: 1,
      maxMemoryKiB: 524288,
      persistent: true,
    });
    expect(parseDominfo(fixture('dominfo-paused.txt'))?.state).toBe('paused');
    expect(parseDominfo(fixture('dominfo-shutoff.txt'))?.state).toBe('shut off');
    expect(parseDominfo('')).toBeUndefined();
  });

  it('reads domstats into a summary: state, vCPUs, memory, NICs, disks', () => {
    const [running] = parseDomstats(fixture('domstats-running.txt'));
    expect(running?.name).toBe(NAME);
    expect(running?.stats.get('cpu.time')).toBe('3544270000');
    expect(running === undefined ? undefined : summarizeDomstats(running)).toEqual({ name: NAME, state: 'running', vcpus: 1, memoryKiB: 524288, nics: 1, disks: 0 });
    const [off] = parseDomstats(fixture('domstats-shutoff.txt'));
    expect(off === undefined ? undefined : summarizeDomstats(off)).toMatchObject({ state: 'shut off', nics: 0 });
  });

  it('reads several domains of one domstats, names with quotes and spaces included', () => {
    const text = "Domain: 'a'\n  state.state=1\n  vcpu.current=2\n\nDomain: 'it's b'\n  state.state=3\n";
    expect(parseDomstats(text).map(summarizeDomstats)).toEqual([
      { name: 'a', state: 'running', vcpus: 2, memoryKiB: undefined, nics: 0, disks: 0 },
      { name: "it's b", state: 'paused', vcpus: undefined, memoryKiB: undefined, nics: 0, disks: 0 },
    ]);
  });

  it('reads domjobinfo without a job, and a migration in progress', () => {
    expect(parseDomjobinfo(fixture('domjobinfo-none.txt'))).toMatchObject({ type: 'None', dataProcessedBytes: undefined });
    // libvirt 9.0's layout of a running migration job (virsh-domain.c, cmdDomjobinfo).
    const migrating = [
      'Job type:         Unbounded   ',
      'Operation:        Outgoing migration',
      'Time elapsed:     312          ms',
      'Data processed:   120.500 MiB',
      'Data remaining:   391.250 MiB',
      'Data total:       520.000 MiB',
      'Memory processed: 120.500 MiB',
      'Memory bandwidth: 384.000 MiB/s',
      'Dirty rate:       1200         pages/s',
      'Iteration:        2            ',
      '',
    ].join('\n');
    expect(parseDomjobinfo(migrating)).toEqual({
      type: 'Unbounded',
      operation: 'Outgoing migration',
      elapsedMs: 312,
      dataProcessedBytes: 126353408,
      dataRemainingBytes: 410255360,
      dataTotalBytes: 545259520,
      memoryBandwidthBytesPerSecond: 402653184,
      dirtyRatePagesPerSecond: 1200,
      iteration: 2,
      downtimeMs: undefined,
      expectedDowntimeMs: undefined,
      setupTimeMs: undefined,
      memoryProcessedBytes: 126353408,
      memoryRemainingBytes: undefined,
      memoryTotalBytes: undefined,
      pageSize: undefined,
      normalPages: undefined,
      constantPages: undefined,
      postcopyRequests: undefined,
      autoConvergeThrottlePercent: undefined,
      compression: undefined,
    });
  });

  it('reads the completed job of an incoming migration (captured from two namespace libvirtd)', () => {
    expect(parseDomjobinfo(fixture('domjobinfo-completed-incoming.txt'))).toMatchObject({
      type: 'Completed',
      operation: 'Incoming migration',
      elapsedMs: 4263,
      memoryProcessedBytes: Math.round(95.882 * 1024 ** 2),
      memoryRemainingBytes: 0,
      memoryTotalBytes: Math.round(256.758 * 1024 ** 2),
      memoryBandwidthBytesPerSecond: Math.round(59.595 * 1024 ** 2),
      pageSize: 4096,
      iteration: 3,
      normalPages: 24407,
      constantPages: 41395,
      postcopyRequests: 0,
      downtimeMs: 147,
      setupTimeMs: 8,
      compression: undefined,
    });
  });

  it('reads capabilities: architecture, TCG/KVM domain types, the emulator and machine types', () => {
    const caps = parseCapabilities(fixture('capabilities.xml'));
    expect(caps.arch).toBe('x86_64');
    expect(caps.x86DomainTypes).toContain('qemu');
    expect(caps.x86Emulator).toBe('/usr/bin/qemu-system-x86_64');
    expect(caps.x86Machines).toEqual(expect.arrayContaining(['pc', 'q35', 'pc-i440fx-7.2']));
  });

  it('never throws on hostile text', () => {
    for (const hostile of HOSTILE_STRINGS) {
      expect(() => [parseDomstate(hostile), parseDominfo(hostile), parseDomstats(hostile), parseDomjobinfo(hostile), parseCapabilities(hostile)]).not.toThrow();
    }
  });
});
