import { describe, expect, it } from 'vitest';
import { countOutcomes } from '../../../../extension/core/measuring/experiments/run-and-log';
import type { CellOutcome } from '../../../../extension/core/measuring/experiments/runner';
import { summarize } from '../../../../extension/core/measuring/workloads/stats';
import { countsWords, outcomeWords } from '../../../../extension/presentation/experiments/outcome-words';

const cell = (id: string) => ({ id, target: 'host' as const, benchmark: 'sysbench-cpu' as const, direction: undefined, config: undefined });
const done: CellOutcome = { cell: cell('host/sysbench-cpu'), status: 'done', summary: summarize([1200, 1250, 1300]), accel: undefined, note: '' };
const skipped: CellOutcome = { cell: cell('guest/kvm/virtio/sysbench-cpu'), status: 'skipped', reason: 'KVM is not usable here' };
const failed: CellOutcome = { cell: cell('guest/tcg/e1000/iperf3'), status: 'failed', reason: 'iperf3 did not answer' };

describe('experiment outcome words', () => {
  it('words a measured cell by its median, range, count and CV', () => {
    expect(outcomeWords(done)).toMatch(/^median 1\.25k \(min 1\.20k, max 1\.30k, n=3, CV \d+\.\d%\)$/);
    expect(outcomeWords({ ...done, summary: summarize([0, 0]) } as CellOutcome)).toBe('median 0.00 (min 0.00, max 0.00, n=2)');
  });

  it('words a cell that was not measured by why', () => {
    expect(outcomeWords(skipped)).toBe('skipped: KVM is not usable here');
    expect(outcomeWords(failed)).toBe('failed: iperf3 did not answer');
  });

  it('counts a run and words the counts, leaving out zeros', () => {
    expect(countOutcomes([done, skipped, failed, done])).toEqual({ done: 2, skipped: 1, failed: 1 });
    expect(countsWords(countOutcomes([done, skipped, failed, done]))).toBe('2 cells measured, 1 skipped, 1 failed');
    expect(countsWords(countOutcomes([done]))).toBe('1 cell measured');
    expect(countsWords(countOutcomes([]))).toBe('0 cells measured');
  });
});
