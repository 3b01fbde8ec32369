import { describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import type { PartRunnerResult } from '../../../extension/core/lab-run/outcome';
import type { LabPart } from '../../../extension/core/lab-run/parts';
import { runParts, type LabRunProgress } from '../../../extension/core/lab-run/run-parts';

const parts: LabPart[] = [
  { key: 'experiment:e', kind: 'experiment', name: 'e', estimateSeconds: 100 },
  { key: 'migration:m', kind: 'migration', name: 'm', estimateSeconds: 60 },
  { key: 'colo:vm1', kind: 'colo', name: 'vm1', estimateSeconds: 40 },
];

/** A clock the parts move on: each part takes `seconds[key]`. */
function clock() {
  let ms = Date.parse('2026-12-02T10:00:00Z');
  return { now: () => ms, advance: (s: number) => (ms += s * 1000) };
}

describe('running the parts of a lab', () => {
  it('runs them in order; a failed part and one that cannot run here are recorded with their reasons and the rest goes on', async () => {
    const t = clock();
    const seen: string[] = [];
    const outcomes = await runParts(
      parts,
      async (part, run, note): Promise<PartRunnerResult> => {
        seen.push(`${part.key}#${run}`);
        note('working');
        t.advance(part.estimateSeconds * 2);
        if (part.kind === 'migration') throw new VmError('VM "vm1" did not boot.', { hint: 'Look at its serial log.' });
        if (part.kind === 'colo') return { status: 'skipped', reason: 'COLO under TCG needs QEMU 11.1' };
        return { status: 'done', result: { kind: 'experiment', runId: 'r1', cells: { done: 3, skipped: 0, failed: 0 } } };
      },
      { now: t.now },
    );
    expect(seen).toEqual(['experiment:e#1', 'migration:m#1', 'colo:vm1#1']);
    expect(outcomes.map((o) => [o.key, o.status, o.seconds])).toEqual([['experiment:e', 'done', 200], ['migration:m', 'failed', 120], ['colo:vm1', 'skipped', 80]]);
    expect(outcomes[1]?.reason).toContain('VM "vm1" did not boot.');
    expect(outcomes[1]?.reason).toContain('Look at its serial log.');
    expect(outcomes[2]?.reason).toBe('COLO under TCG needs QEMU 11.1');
    expect(outcomes[0]).toMatchObject({ run: 1, startedAt: '2026-12-02T10:00:00.000Z', result: { runId: 'r1' } });
  });

  it('repeats the lot for --runs, with an ETA for the whole that learns from the parts already run', async () => {
    const t = clock();
    const progress: LabRunProgress[] = [];
    const outcomes = await runParts(
      parts,
      async (part) => {
        t.advance(part.estimateSeconds * 2);
        return { status: 'skipped', reason: 'x' };
      },
      { runs: 2, now: t.now, onProgress: (p) => progress.push(p) },
    );
    expect(outcomes.map((o) => `${o.key}#${o.run}`)).toEqual(['experiment:e#1', 'migration:m#1', 'colo:vm1#1', 'experiment:e#2', 'migration:m#2', 'colo:vm1#2']);
    const starts = progress.map((p) => [p.done, p.total, p.etaSeconds]);
    // Before anything ran: the estimates (200 s a run); once parts took twice theirs, the rest is doubled.
    expect(starts[0]).toEqual([0, 6, 400]);
    expect(starts[1]).toEqual([1, 6, 2 * 300]);
    expect(starts[5]).toEqual([5, 6, 2 * 40]);
  });

  it('stops at once when cancelled, giving what finished to onPart', async () => {
    const abort = new AbortController();
    const ended: string[] = [];
    const run = runParts(
      parts,
      async (part) => {
        if (part.kind === 'migration') {
          abort.abort(new Error('cancelled by the user'));
          throw new Error('the migration was cancelled');
        }
        return { status: 'skipped', reason: 'x' };
      },
      { signal: abort.signal, onPart: (o) => ended.push(o.key) },
    );
    await expect(run).rejects.toThrow('the migration was cancelled');
    expect(ended).toEqual(['experiment:e']);
  });
});
