import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { isListening } from '../../../extension/core/measuring/experiments/measure';
import { experimentVmName, planExperiment } from '../../../extension/core/measuring/experiments/plan';

const text = `vms:
  vm1: { accel: auto, nic: virtio }
experiments:
  full: { vm: vm1, matrix: { accel: [kvm, tcg], nic: [virtio, e1000] }, targets: [host, guest], benchmarks: [sysbench-cpu, iperf3], repetitions: 4 }
  plain: { vm: vm1, benchmarks: [sysbench-memory] }
  one-way: { vm: vm1, matrix: { accel: [tcg] }, targets: [host, guest], benchmarks: [iperf, sysbench-cpu], direction: [from-guest], repetitions: 2 }
`;
const lab = parseLabText(text, '/lab/qemu-lab.yaml').lab;
if (lab === undefined) throw new Error('lab did not parse');
const noKvm = { usable: false, reason: '/dev/kvm is backed by PVM' };
const kvm = { usable: true, reason: 'ok' };

describe('planExperiment', () => {
  it('expands the matrix, and keeps cells KVM cannot run as skipped with the reason', () => {
    const plan = planExperiment(lab, 'full', noKvm);
    expect(plan.configs.map((c) => [c.accel, c.nic, c.skipped !== undefined])).toEqual([
      ['kvm', 'virtio', true],
      ['kvm', 'e1000', true],
      ['tcg', 'virtio', false],
      ['tcg', 'e1000', false],
    ]);
    expect(plan.configs[0]?.skipped).toMatch(/PVM/);
    expect(plan.cells.map((c) => c.id)).toEqual([
      'host/sysbench-cpu',
      'host/iperf3',
      'guest/kvm/virtio/sysbench-cpu',
      'guest/kvm/virtio/iperf3/to-guest',
      'guest/kvm/virtio/iperf3/from-guest',
      'guest/kvm/e1000/sysbench-cpu',
      'guest/kvm/e1000/iperf3/to-guest',
      'guest/kvm/e1000/iperf3/from-guest',
      'guest/tcg/virtio/sysbench-cpu',
      'guest/tcg/virtio/iperf3/to-guest',
      'guest/tcg/virtio/iperf3/from-guest',
      'guest/tcg/e1000/sysbench-cpu',
      'guest/tcg/e1000/iperf3/to-guest',
      'guest/tcg/e1000/iperf3/from-guest',
    ]);
    expect(plan.cells.filter((c) => c.benchmark === 'iperf3' && c.target === 'guest').map((c) => c.direction)).toEqual(['to-guest', 'from-guest', 'to-guest', 'from-guest', 'to-guest', 'from-guest', 'to-guest', 'from-guest']);
    expect(plan.plannedRuns).toBe((2 + 3 + 3) * 4);
    expect(plan.network).toMatch(/SLIRP/);
  });

  it('runs every cell where KVM works', () => {
    expect(planExperiment(lab, 'full', kvm).plannedRuns).toBe(14 * 4);
  });

  it('runs guest iperf in the directions asked for, and host baselines and sysbench without one', () => {
    const plan = planExperiment(lab, 'one-way', noKvm);
    expect(plan.cells.map((c) => [c.id, c.direction])).toEqual([
      ['host/iperf', undefined],
      ['host/sysbench-cpu', undefined],
      ['guest/tcg/virtio/iperf/from-guest', 'from-guest'],
      ['guest/tcg/virtio/sysbench-cpu', undefined],
    ]);
  });

  it("takes the VM's own accel and NIC without a matrix, and the defaults", () => {
    const plan = planExperiment(lab, 'plain', noKvm);
    expect(plan.configs).toEqual([{ accel: 'auto', nic: 'virtio', skipped: undefined }]);
    expect(plan.cells.map((c) => c.id)).toEqual(['guest/auto/virtio/sysbench-memory']);
    expect(plan.plannedRuns).toBe(5);
  });

  it('names the experiments there are when asked for another', () => {
    expect(() => planExperiment(lab, 'nope', kvm)).toThrow(/no experiment "nope"/);
  });

  it("names experiment VMs apart from the user's own", () => {
    expect(experimentVmName('vm1', { accel: 'tcg', nic: 'e1000', skipped: undefined })).toBe('vm1.tcg-e1000');
  });
});

describe('isListening', () => {
  it('finds a listening port in /proc/net/tcp and tcp6 lines, and ignores connected ones', () => {
    const tcp = '  0: 0100007F:1451 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n  1: 0100007F:A000 0100007F:1451 01 0';
    const tcp6 = '  0: 00000000000000000000000000000000:1389 00000000000000000000000000000000:0000 0A 0';
    expect(isListening(tcp, 5201)).toBe(true);
    expect(isListening(tcp6, 5001)).toBe(true);
    expect(isListening(tcp, 40960)).toBe(false);
  });
});
