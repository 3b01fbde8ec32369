import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importBenchmarkFiles, type ImportOutcome } from '../../../extension/core/measuring/results/import';
import { readResults } from '../../../extension/core/measuring/results/store';

const fixtures = join(__dirname, '../../fixtures/bench');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-import-core-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importBenchmarkFiles (the core of qemu-lab import and the editor command)', () => {
  it('stores absolute paths from anywhere, reports each file as it goes, and names the store', async () => {
    const inside = join(dir, 'cpu.txt');
    await copyFile(join(fixtures, 'sysbench-1.0.20-cpu.txt'), inside);
    const outside = join(fixtures, 'sysbench-1.0.20-memory.txt');
    const seen: ImportOutcome[] = [];
    const report = await importBenchmarkFiles([inside, outside, join(dir, 'missing.txt')], { labFile: join(dir, 'qemu-lab.yaml'), cwd: '/', label: 'x', onOutcome: (o) => seen.push(o) });
    expect(report.store).toBe(join(dir, '.qemu-lab', 'results', 'results.jsonl'));
    expect(report.outcomes).toEqual(seen);
    expect(seen.map((o) => (o.ok ? o.summary : o.error))).toEqual(['sysbench-cpu: 2522.92 events/s → stored', expect.stringMatching(/^sysbench-memory: .* MiB\/s → stored$/), 'cannot read it: no such file']);
    const { records } = await readResults(dir);
    expect(records.map((r) => [r.benchmark, r.label, r.metadata.source?.file])).toEqual([
      ['sysbench-cpu', 'x', 'cpu.txt'],
      ['sysbench-memory', 'x', outside],
    ]);
  });
});
