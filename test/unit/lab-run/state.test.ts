import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PartOutcome } from '../../../extension/core/lab-run/outcome';
import { labRunStatePath, mergeOutcomes, parseLabRunState, readLabRunState, writeLabRunState } from '../../../extension/core/lab-run/state';
import { ResultStoreError } from '../../../extension/core/measuring/results/errors';

const experiment: PartOutcome = { key: 'experiment:e', kind: 'experiment', name: 'e', run: 1, status: 'done', startedAt: '2026-12-02T10:00:00.000Z', seconds: 12.5, result: { kind: 'experiment', runId: 'r1', cells: { done: 2, skipped: 1, failed: 0 } } };
const migration: PartOutcome = {
  key: 'migration:m', kind: 'migration', name: 'm', run: 1, status: 'done', startedAt: '2026-12-02T10:01:00.000Z', seconds: 40,
  result: { kind: 'migration', recordId: 'abc', argv: ['qemu-system-x86_64', '-m', '512'], guest: { kernel: '6.1.0' }, networkBefore: { macs: { eth0: '52:54:00:12:34:56' }, addresses: { eth0: ['10.77.0.11/24'] } }, networkAfter: undefined, heldSession: { linesBefore: 12, linesAfter: 15, longestSilenceMs: 900, missingLines: 0, openAtEnd: true } },
};
const cost = {
  baseline: 'before-colo' as const,
  seconds: 10,
  figures: [{ benchmark: 'sysbench-cpu' as const, unit: 'events/s', without: 200, with: 150, ratio: 0.75 }],
  underLoad: { lookMs: 12000, count: 5, intervalsMs: [2100, 2300], pausesMs: [410, 520] },
};
const coloDone: PartOutcome = {
  key: 'colo:vm2', kind: 'colo', name: 'vm2', run: 1, status: 'done', startedAt: '2026-12-02T10:03:00.000Z', seconds: 190,
  result: { kind: 'colo', qemuVersion: '11.1.3', checkpointDelayMs: 2000, enterColoMs: 5100, checkpoints: undefined, failover: { survivor: 'secondary', durationMs: 200 }, cost },
};
const colo: PartOutcome = { key: 'colo:vm1', kind: 'colo', name: 'vm1', run: 1, status: 'skipped', reason: 'needs QEMU 11.1', startedAt: '2026-12-02T10:02:00.000Z', seconds: 0.1 };

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the lab run record', () => {
  it('round-trips every kind of outcome', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-run-state-'));
    const state = mergeOutcomes({ schema: 1, parts: {} }, [experiment, migration, colo, coloDone], ['experiment:e', 'migration:m', 'colo:vm1', 'colo:vm2']);
    const path = await writeLabRunState(dir, state);
    expect(path).toBe(labRunStatePath(dir));
    expect(await readLabRunState(dir)).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('is empty when there is none yet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-run-state-'));
    expect(await readLabRunState(dir)).toEqual({ schema: 1, parts: {} });
  });

  it('--only replaces one part and keeps the others; parts gone from the lab are dropped', () => {
    const before = mergeOutcomes({ schema: 1, parts: {} }, [experiment, migration], ['experiment:e', 'migration:m']);
    const again = { ...experiment, run: 1, result: { kind: 'experiment' as const, runId: 'r2', cells: { done: 3, skipped: 0, failed: 0 } } };
    const after = mergeOutcomes(before, [again], ['experiment:e', 'migration:m']);
    expect(after.parts['experiment:e']).toEqual([again]);
    expect(after.parts['migration:m']).toEqual([migration]);
    expect(Object.keys(mergeOutcomes(before, [], ['experiment:e']).parts)).toEqual(['experiment:e']);
  });

  it('refuses a record that is not what it writes, naming the problem, and leaves the file as it is', async () => {
    const bad = (parts: unknown) => () => parseLabRunState(JSON.stringify({ schema: 1, parts }), '/lab/.qemu-lab/reports/lab-run.json');
    expect(bad({ 'experiment:e': [{ ...experiment, status: 'great' }] })).toThrow(/status "great" is unknown/);
    expect(bad({ 'experiment:e': [{ ...experiment, seconds: -1 }] })).toThrow(/seconds is not a number/);
    expect(bad({ 'experiment:e': [{ ...experiment, result: { kind: 'experiment', runId: 7 } }] })).toThrow(/runId is not text/);
    expect(bad({ 'experiment:e': [migration] })).toThrow(/names another part/);
    expect(bad({ 'colo:vm1': [{ ...colo, status: 'done', result: { kind: 'colo', qemuVersion: '11.1.3', checkpointDelayMs: 2000, checkpoints: { lookMs: 4500, count: 2, intervalsMs: ['x'], pausesMs: [] } } }] })).toThrow(/intervalsMs is not a list of numbers/);
    const session = (heldSession: unknown) => bad({ 'migration:m': [{ ...migration, result: { ...migration.result, heldSession } }] });
    expect(session({ linesBefore: 1, linesAfter: 1, longestSilenceMs: 9, missingLines: 0, openAtEnd: 'yes' })).toThrow(/openAtEnd is not true or false/);
    expect(session({ linesBefore: 1, linesAfter: 1, longestSilenceMs: -9, missingLines: 0, openAtEnd: true })).toThrow(/longestSilenceMs is not a number/);
    const costOf = (c: unknown) => bad({ 'colo:vm2': [{ ...coloDone, result: { ...(coloDone.result as object), cost: c } }] });
    expect(costOf({ ...cost, baseline: 'guess' })).toThrow(/cost.baseline "guess" is unknown/);
    expect(costOf({ ...cost, figures: [{ ...cost.figures[0], benchmark: 'iperf3' }] })).toThrow(/cost benchmark "iperf3" is unknown/);
    expect(costOf({ ...cost, figures: [{ ...cost.figures[0], ratio: -1 }] })).toThrow(/ratio is not a number/);
    expect(costOf({ ...cost, figures: Array.from({ length: 3 }, () => cost.figures[0]) })).toThrow(/cost.figures is not a list of benchmarks/);
    expect(costOf({ ...cost, underLoad: { ...cost.underLoad, pausesMs: 'long' } })).toThrow(/pausesMs is not a list of numbers/);
    expect(() => parseLabRunState('{"schema": 2, "parts": {}}', 'x')).toThrow(ResultStoreError);
    let thrown: unknown;
    try {
      parseLabRunState('not json', 'x');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResultStoreError);
    expect((thrown as ResultStoreError).hint).toMatch(/Move it away \(it is left as it is\)/);
    dir = mkdtempSync(join(tmpdir(), 'lab-run-state-'));
    const path = labRunStatePath(dir);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{"schema": 1, "parts": []');
    await expect(readLabRunState(dir)).rejects.toThrow(ResultStoreError);
    expect(readFileSync(path, 'utf8')).toBe('{"schema": 1, "parts": []');
  });
});
