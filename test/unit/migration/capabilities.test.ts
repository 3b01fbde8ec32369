import { describe, expect, it } from 'vitest';
import { capabilityArguments, capabilityNames, capabilityProblems, capabilityStates, restoreCapabilityArguments } from '../../../extension/core/migration/capabilities';
import type { QemuVersion } from '../../../extension/core/infrastructure/hosts/probes/qemu-binary';
import { captured } from './fixtures';

const qemu = (major: number, minor: number): QemuVersion => ({ major, minor, micro: 0, text: `QEMU emulator version ${major}.${minor}.0` });
const capsReply = captured('qemu-7.2-idle.jsonl').find((l) => l.caps !== undefined)?.caps ?? null;

describe('migration capabilities', () => {
  it('reads the capability names and states QEMU 7.2 lists', () => {
    const names = capabilityNames(capsReply);
    expect(names).toEqual(expect.arrayContaining(['xbzrle', 'auto-converge', 'events', 'postcopy-ram', 'multifd']));
    expect(capabilityStates(capsReply).get('events')).toBe(true);
    expect(capabilityStates(capsReply).get('xbzrle')).toBe(false);
    expect(capabilityNames({ not: 'a list' })).toEqual([]);
  });

  it('finds nothing missing on QEMU 7.2 at both ends', () => {
    expect(capabilityProblems(['auto-converge', 'xbzrle', 'postcopy', 'multifd'], { source: qemu(7, 2), destination: qemu(7, 2) }, capabilityNames(capsReply))).toEqual([]);
  });

  it('knows when each capability came, by version', () => {
    const problems = capabilityProblems(['multifd', 'postcopy', 'xbzrle'], { source: qemu(3, 1), destination: qemu(2, 5) });
    expect(problems.map((p) => `${p.end}:${p.capability}`)).toEqual(['source:multifd', 'destination:events', 'destination:multifd', 'destination:postcopy']);
    expect(problems[0]?.message).toBe('multifd (multifd) needs QEMU 4.0 or newer; the source has 3.1');
    // xbzrle and auto-converge are the source's business only.
    expect(capabilityProblems(['xbzrle', 'auto-converge'], { source: qemu(4, 0), destination: qemu(2, 8) })).toEqual([]);
  });

  it('notices a capability the source does not list', () => {
    const problems = capabilityProblems(['postcopy'], { source: qemu(7, 2), destination: qemu(7, 2) }, ['events', 'xbzrle']);
    expect(problems).toEqual([{ end: 'source', capability: 'postcopy', message: 'the source QEMU does not list the postcopy-ram capability (query-migrate-capabilities)' }]);
  });

  it('sets events and every managed capability explicitly on the source, and only the shared ones on the destination', () => {
    expect(capabilityArguments(['auto-converge', 'postcopy'], 'source')).toEqual({
      capabilities: [
        { capability: 'events', state: true },
        { capability: 'auto-converge', state: true },
        { capability: 'xbzrle', state: false },
        { capability: 'postcopy-ram', state: true },
        { capability: 'multifd', state: false },
      ],
    });
    expect(capabilityArguments(['auto-converge', 'postcopy'], 'destination')).toEqual({
      capabilities: [
        { capability: 'events', state: true },
        { capability: 'postcopy-ram', state: true },
        { capability: 'multifd', state: false },
      ],
    });
  });

  it('puts back the states read before a migration', () => {
    expect(restoreCapabilityArguments(capabilityStates(capsReply))).toEqual({
      capabilities: [
        { capability: 'events', state: true },
        { capability: 'pause-before-switchover', state: false },
        { capability: 'auto-converge', state: false },
        { capability: 'xbzrle', state: false },
        { capability: 'postcopy-ram', state: false },
        { capability: 'multifd', state: false },
      ],
    });
  });
});
