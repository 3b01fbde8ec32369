import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { missingToolReasons, toolProbeScript } from '../../../extension/core/measuring/experiments/guest-tools';

describe('the guest tools an experiment needs, checked before any run', () => {
  it('names each missing program, the benchmark that needs it, and the packages that add it', () => {
    const reasons = missingToolReasons(['sysbench-cpu', 'sysbench-memory', 'iperf3', 'iperf'], new Set(['iperf3']), 'deb');
    expect([...reasons.keys()]).toEqual(['sysbench-cpu', 'sysbench-memory', 'iperf']);
    expect(reasons.get('sysbench-cpu')).toBe(
      'the guest of VM "deb" has no sysbench (needed by sysbench-cpu): install it in the image (Debian/Ubuntu: sudo apt-get install sysbench; Fedora: sudo dnf install sysbench), then run the experiment again',
    );
    expect(reasons.get('iperf')).toContain('sudo apt-get install iperf;');
    expect(missingToolReasons(['sysbench-cpu', 'iperf3'], new Set(['sysbench', 'iperf3']), 'deb').size).toBe(0);
  });

  it('the probe prints exactly the programs a shell finds (run here by a real sh)', () => {
    const script = toolProbeScript(['sh', 'surely-not-a-program-qemu-lab', 'ls']);
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n')).toEqual(['sh', 'ls']);
    expect(toolProbeScript(['sysbench', '$(reboot)', 'a;b'])).not.toMatch(/reboot|a;b/);
  });
});
