import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';

const lab = (vm: string, hosts = '') => `${hosts}vms:\n  vm1: ${vm}\n`;
const parse = (text: string) => parseLabText(text, 'lab.yaml');
const codes = (text: string) => parse(text).diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);

describe('faultTolerance in the lab file', () => {
  it('reads a COLO pair with a checkpoint delay', () => {
    const result = parse(lab('{ machine: pc, faultTolerance: { mode: colo, secondary: lab-b, checkpointDelay: 2s } }', 'hosts:\n  lab-b: { address: 10.0.0.2 }\n'));
    expect(result.diagnostics).toEqual([]);
    expect(result.lab?.vms.get('vm1')?.faultTolerance).toEqual({ mode: 'colo', secondary: 'lab-b', checkpointDelayMs: 2000 });
  });

  it('defaults mode to colo and the delay to QEMU’s 20 s; a plain VM has none', () => {
    expect(parse(lab('{ machine: pc, faultTolerance: { secondary: local } }')).lab?.vms.get('vm1')?.faultTolerance).toEqual({ mode: 'colo', secondary: 'local', checkpointDelayMs: 20_000 });
    expect(parse(lab('{ machine: pc }')).lab?.vms.get('vm1')?.faultTolerance).toBeUndefined();
  });

  it('wants a secondary host that exists', () => {
    expect(codes(lab('{ machine: pc, faultTolerance: { mode: colo } }'))).toEqual([expect.stringMatching(/^error missing-key: .*secondary is missing/)]);
    expect(codes(lab('{ machine: pc, faultTolerance: { secondary: nowhere } }'))).toEqual([expect.stringMatching(/^error undefined-host: .*"nowhere"/)]);
  });

  it('refuses unknown modes and keys, bad and out-of-range delays', () => {
    expect(codes(lab('{ machine: pc, faultTolerance: { mode: remus, secondary: local } }'))).toEqual([expect.stringMatching(/^error unknown-value: .*"remus"/)]);
    expect(codes(lab('{ machine: pc, faultTolerance: { secondary: local, delay: 2s } }'))).toEqual([expect.stringMatching(/^error unknown-key: .*"delay"/)]);
    expect(codes(lab('{ machine: pc, faultTolerance: { secondary: local, checkpointDelay: soon } }'))).toEqual([expect.stringMatching(/^error bad-duration/)]);
    expect(codes(lab('{ machine: pc, faultTolerance: { secondary: local, checkpointDelay: 10ms } }'))).toEqual([expect.stringMatching(/^error out-of-range: .*100 ms to 3600 s/)]);
    expect(codes(lab('{ machine: pc, faultTolerance: colo }'))).toEqual([expect.stringMatching(/^error wrong-type/)]);
  });

  it('warns that a q35 COLO secondary aborts on QEMU 7.2', () => {
    expect(codes(lab('{ faultTolerance: { secondary: local } }'))).toEqual([expect.stringMatching(/^warning suspicious-value: .*q35.*machine: pc/)]);
  });

  it('takes a disk for a built-in guest only (a boot image of its own would not be replicated)', () => {
    expect(parse(lab('{ machine: pc, faultTolerance: { secondary: local, disk: data.qcow2 } }')).lab?.vms.get('vm1')?.faultTolerance).toMatchObject({ disk: 'data.qcow2' });
    expect(codes(lab('{ machine: pc, image: disk.qcow2, faultTolerance: { secondary: local, disk: data.qcow2 } }'))).toEqual([expect.stringMatching(/^error ignored-key: .*disk needs image: builtin/)]);
  });
});
