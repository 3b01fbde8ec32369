import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { destinationParameterArguments, managedParameters, settingsFromSpec, settingsInEffect, sourceParameterArguments } from '../../../extension/core/migration/settings';
import { requestFromLab } from '../../../extension/core/migration/request';
import { captured } from './fixtures';

const parameters = captured('qemu-7.2-idle.jsonl').find((l) => l.params !== undefined)?.params ?? null;

describe('migration settings', () => {
  it('set only the parameters asked for, and the xbzrle cache and multifd channels only with their capability', () => {
    expect(sourceParameterArguments({ capabilities: [] })).toBeUndefined();
    expect(sourceParameterArguments({ capabilities: [], maxBandwidthBytesPerSecond: 1 << 30, downtimeLimitMs: 100 })).toEqual({ 'max-bandwidth': 1 << 30, 'downtime-limit': 100 });
    expect(sourceParameterArguments({ capabilities: [], xbzrleCacheBytes: 1 << 28, multifdChannels: 4 })).toBeUndefined();
    expect(sourceParameterArguments({ capabilities: ['xbzrle', 'multifd'], xbzrleCacheBytes: 1 << 28, multifdChannels: 4 })).toEqual({ 'xbzrle-cache-size': 1 << 28, 'multifd-channels': 4 });
    expect(destinationParameterArguments({ capabilities: ['multifd'], multifdChannels: 4 })).toEqual({ 'multifd-channels': 4 });
    expect(destinationParameterArguments({ capabilities: [], multifdChannels: 4 })).toBeUndefined();
  });

  it("read QEMU 7.2's defaults back as the settings in effect", () => {
    expect(settingsInEffect({ capabilities: ['xbzrle'] }, parameters)).toEqual({
      capabilities: ['xbzrle'],
      maxBandwidthBytesPerSecond: 134217728,
      downtimeLimitMs: 300,
      xbzrleCacheBytes: 67108864,
      multifdChannels: undefined,
    });
    expect(managedParameters(parameters)).toEqual({ 'max-bandwidth': 134217728, 'downtime-limit': 300, 'xbzrle-cache-size': 67108864, 'multifd-channels': 2 });
  });

  it("come from a lab file's migrations: entry", () => {
    const { lab } = parseLabText(
      [
        'hosts:',
        '  lab-b: { kind: ssh, address: 10.0.0.2 }',
        'vms:',
        '  vm1: { memory: 512M }',
        'migrations:',
        '  move: { vm: vm1, to: lab-b, maxBandwidth: 1G, downtimeLimit: 300ms, capabilities: [auto-converge, xbzrle] }',
        '',
      ].join('\n'),
      '/labs/qemu-lab.yaml',
    );
    if (lab === undefined) throw new Error('no lab');
    const spec = lab.migrations.get('move');
    if (spec === undefined) throw new Error('no migration');
    expect(settingsFromSpec(spec)).toEqual({ capabilities: ['auto-converge', 'xbzrle'], maxBandwidthBytesPerSecond: 1 << 30, downtimeLimitMs: 300 });
    expect(requestFromLab(lab, 'move')).toMatchObject({ vmName: 'vm1', to: 'lab-b', name: 'move' });
    expect(() => requestFromLab(lab, 'mvoe')).toThrow(/no migration "mvoe"/);
  });
});
