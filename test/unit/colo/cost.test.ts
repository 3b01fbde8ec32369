import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coloCostOf, costFigure, hostTimeFigure, mergeLooks, pausedShareUnderLoad, type CostBenchmark, type CostRun } from '../../../extension/core/colo/cost';
import { loadedLookMs } from '../../../extension/core/colo/cost-measure';
import { MAX_LOOK_MS } from '../../../extension/core/colo/checkpoints';
import { baselineWords, costChart, ratioWords } from '../../../extension/core/lab-run/report-colo-cost';
import type { ParsedBenchmark } from '../../../extension/core/measuring/workloads/detect';
import { parseSysbenchCpu } from '../../../extension/core/measuring/workloads/sysbench-cpu';
import { parseSysbenchMemory } from '../../../extension/core/measuring/workloads/sysbench-memory';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/bench', name), 'utf8');
// Real sysbench 1.0.20 output (test/fixtures/bench/SOURCES.md), and the same with the figure scaled as a slower run would print it.
const cpuText = fixture('sysbench-1.0.20-cpu.txt');
const memoryText = fixture('sysbench-1.0.20-memory.txt');
const cpu = parseSysbenchCpu(cpuText);
const memory = parseSysbenchMemory(memoryText);
const slower = (result: typeof cpu, factor: number) => ({ ...result, eventsPerSecond: result.eventsPerSecond * factor });
const slowerMemory = (result: typeof memory, factor: number) => ({ ...result, mibPerSecond: result.mibPerSecond * factor });

describe("COLO's cost, summarised", () => {
  it('compares each benchmark by its primary metric: without, with, with / without', () => {
    const figure = costFigure('sysbench-cpu', cpu, slower(cpu, 0.5));
    expect(figure).toEqual({ benchmark: 'sysbench-cpu', unit: 'events/s', without: cpu.eventsPerSecond, with: cpu.eventsPerSecond * 0.5, ratio: 0.5 });
    expect(costFigure('sysbench-memory', memory, slowerMemory(memory, 0.25))).toMatchObject({ unit: 'MiB/s', without: memory.mibPerSecond, ratio: 0.25 });
  });

  it('puts the looks under load together; none that reached the primary is none at all', () => {
    const look = (count: number, intervalsMs: number[], pausesMs: number[]) => ({ lookMs: 6000, count, intervalsMs, pausesMs, pausedAtEnd: false });
    expect(mergeLooks([look(3, [2100, 2300], [410, 520, 380]), undefined, look(2, [2500], [600])])).toEqual({ lookMs: 12000, count: 5, intervalsMs: [2100, 2300, 2500], pausesMs: [410, 520, 380, 600] });
    expect(mergeLooks([undefined, undefined])).toBeUndefined();
    expect(mergeLooks([])).toBeUndefined();
  });

  it('makes the cost of two runs, leaving out a benchmark one of them lacks, and says which baseline it used', () => {
    const without: CostRun = new Map<CostBenchmark, ParsedBenchmark>([
      ['sysbench-cpu', cpu],
      ['sysbench-memory', memory],
    ]);
    const withColo: CostRun = new Map<CostBenchmark, ParsedBenchmark>([['sysbench-cpu', slower(cpu, 0.8)]]);
    const cost = coloCostOf('before-colo', 10, without, withColo, [undefined]);
    expect(cost).toEqual({ baseline: 'before-colo', seconds: 10, figures: [costFigure('sysbench-cpu', cpu, slower(cpu, 0.8))], underLoad: undefined });
    expect(baselineWords(cost)).toBe('the same QEMU process before COLO was added to it');
    expect(baselineWords({ ...cost, baseline: 'survivor' })).toMatch(/^the survivor running alone after the failover/);
  });

  it('looks under load to the end of the benchmark, never longer than the QMP connection may be held', () => {
    expect(loadedLookMs(10, 1000)).toBe(MAX_LOOK_MS);
    expect(loadedLookMs(5, 1000)).toBe(4000);
    expect(loadedLookMs(1, 1000)).toBe(1000);
  });

  it('words the ratio and draws a chart of without and with', () => {
    expect(ratioWords(0.62)).toBe('0.62× (−38 %)');
    expect(ratioWords(1.04)).toBe('1.04× (+4 %)');
    expect(ratioWords(1)).toBe('1.00× (±0 %)');
    const figure = { benchmark: 'sysbench-memory' as const, unit: 'MiB/s', without: 2000, with: 1500, ratio: 0.75 };
    const chart = costChart(figure, 0.2);
    expect(chart.bars.map((b) => [b.label, b.median])).toEqual([
      ['without COLO', 2000],
      ['COLO (guest clock)', 1500],
      ['COLO (host time)', 1200],
    ]);
    expect(chart.notes).toEqual(["with COLO: 0.75× (−25 %) by the guest's clock, 0.60× (−40 %) in host time"]);
    expect(costChart(figure, undefined).bars).toHaveLength(2);
    expect(costChart(figure, undefined).notes).toEqual(["with COLO: 0.75× (−25 %) by the guest's clock"]);
  });

  it("takes the pauses under load off the guest's figure for host time (the guest's clock stands still in them)", () => {
    expect(pausedShareUnderLoad({ lookMs: 8000, count: 4, intervalsMs: [1850, 2789.6], pausesMs: [713.6, 872.2, 1193.3] })).toBeCloseTo(2779.1 / 8000, 9);
    expect(pausedShareUnderLoad({ lookMs: 1000, count: 1, intervalsMs: [], pausesMs: [1500] })).toBe(1);
    expect(pausedShareUnderLoad({ lookMs: 0, count: 0, intervalsMs: [], pausesMs: [] })).toBeUndefined();
    expect(pausedShareUnderLoad(undefined)).toBeUndefined();
    expect(hostTimeFigure(200, 0.25)).toBe(150);
  });
});
