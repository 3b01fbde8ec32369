import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../../../extension/core/measuring/workloads/errors';
import {
  coefficientOfVariation,
  findOutliers,
  mean,
  median,
  quantile,
  sampleStdDev,
  shouldRunAnotherRepetition,
  summarize,
} from '../../../extension/core/measuring/workloads/stats';

describe('summary statistics', () => {
  const values = [2, 4, 4, 4, 5, 5, 7, 9];

  it('computes mean, median, sample standard deviation, CV, min, max and keeps the raw values', () => {
    expect(mean(values)).toBe(5);
    expect(median(values)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(sampleStdDev(values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(coefficientOfVariation(values)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12);
    expect(summarize([9, 2, 5])).toEqual({
      count: 3,
      mean: 16 / 3,
      median: 5,
      stdDev: sampleStdDev([9, 2, 5]),
      cv: sampleStdDev([9, 2, 5]) / (16 / 3),
      min: 2,
      max: 9,
      values: [9, 2, 5],
    });
  });

  it('handles one value and a zero mean without NaN', () => {
    expect(summarize([42])).toMatchObject({ count: 1, mean: 42, median: 42, stdDev: 0, cv: 0, min: 42, max: 42 });
    expect(coefficientOfVariation([-1, 1])).toBeUndefined();
    expect(summarize([-1, 1]).cv).toBeUndefined();
  });

  it('interpolates quantiles like R type 7 / NumPy', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([10], 0.9)).toBe(10);
    expect(() => quantile([1], 1.5)).toThrow(BenchmarkError);
  });

  it('refuses empty lists and numbers that are not finite', () => {
    expect(() => summarize([])).toThrow(/No measurements/);
    expect(() => mean([1, Number.NaN])).toThrow(/Measurement 2 is NaN, not a finite number/);
    expect(() => median([Number.POSITIVE_INFINITY])).toThrow(BenchmarkError);
  });
});

describe('findOutliers (Tukey fences, 1.5 × IQR)', () => {
  it('flags values beyond the fences and only flags them', () => {
    const values = [100, 101, 99, 102, 98, 100, 140];
    const result = findOutliers(values);
    expect(result.indexes).toEqual([6]);
    expect(result.flags).toEqual([false, false, false, false, false, false, true]);
    // Sorted 98 99 100 100 101 102 140: Q1 = 99.5, Q3 = 101.5, IQR = 2.
    expect(result.lowerFence).toBe(96.5);
    expect(result.upperFence).toBe(104.5);
    expect(values).toHaveLength(7);
  });

  it('flags low outliers too, and nothing in tight data', () => {
    expect(findOutliers([10, 50, 51, 52, 50, 49]).indexes).toEqual([0]);
    expect(findOutliers([5, 5, 5, 5, 5]).indexes).toEqual([]);
  });

  it('flags nothing with fewer than 4 values', () => {
    expect(findOutliers([1, 1000, 2])).toEqual({ lowerFence: 1, upperFence: 1000, indexes: [], flags: [false, false, false] });
  });
});

describe('shouldRunAnotherRepetition (Phoronix Test Suite rule)', () => {
  it('runs the planned count first', () => {
    expect(shouldRunAnotherRepetition([], 3)).toMatchObject({ runAnother: true, cvPercent: undefined });
    expect(shouldRunAnotherRepetition([100, 200], 3)).toMatchObject({ runAnother: true, reason: '2 of 3 planned repetitions done' });
  });

  it('stops once the CV is at most 3 %', () => {
    const decision = shouldRunAnotherRepetition([100, 101, 99], 3);
    expect(decision.runAnother).toBe(false);
    expect(decision.cvPercent).toBeCloseTo(1, 6);
    expect(decision.reason).toBe('CV 1.00 % ≤ 3 %');
  });

  it('runs more while the CV is above 3 %, up to twice the planned count', () => {
    expect(shouldRunAnotherRepetition([100, 130, 70], 3)).toMatchObject({ runAnother: true });
    expect(shouldRunAnotherRepetition([100, 130, 70, 100, 131], 3).runAnother).toBe(true);
    expect(shouldRunAnotherRepetition([100, 130, 70, 100, 131, 69], 3)).toMatchObject({ runAnother: false, reason: expect.stringMatching(/limit of 6 repetitions/) });
  });

  it('takes another threshold and cap', () => {
    expect(shouldRunAnotherRepetition([100, 104, 96], 3, { cvThresholdPercent: 5 }).runAnother).toBe(false);
    expect(shouldRunAnotherRepetition([100, 130, 70], 3, { maxFactor: 1 }).runAnother).toBe(false);
  });

  it('stops when the CV means nothing (mean 0) and refuses a bad plan or bad values', () => {
    expect(shouldRunAnotherRepetition([-1, 1], 2)).toMatchObject({ runAnother: false, cvPercent: undefined });
    expect(() => shouldRunAnotherRepetition([1], 0)).toThrow(/at least 1/);
    expect(() => shouldRunAnotherRepetition([1, Number.NaN], 3)).toThrow(BenchmarkError);
  });
});
