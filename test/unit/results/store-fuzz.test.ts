import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBenchmarkOutput } from '../../../extension/core/measuring/workloads/detect';
import { formatMetric, primaryMetric } from '../../../extension/core/measuring/workloads/metric';
import { makeResultRecord } from '../../../extension/core/measuring/results/record';
import { parseResultLines } from '../../../extension/core/measuring/results/store';
import { expectFiniteNumbers, expectParsedOrRefused, mutated, withReplacedField } from '../../support/fuzz';
import { fixture, fixtureNames } from '../bench/fixture';

// A results.jsonl can come from a cloned repository. Its reader keeps whole records and lists
// the rest as problems; it never throws, and a record it keeps holds no NaN or infinite number,
// and the metric of its raw result is the record's own (what reports chart).
const records = fixtureNames().flatMap((name) => {
  try {
    return [makeResultRecord({ result: parseBenchmarkOutput(fixture(name)), target: 'guest', host: 'local', label: name, timestamp: new Date(0) })];
  } catch {
    return [];
  }
});
const storeTexts = fc.oneof(
  fc.constantFrom(...records).chain(withReplacedField),
  mutated(records.map((record) => JSON.stringify(record))),
  fc.array(fc.oneof(fc.constantFrom(...records).map((r) => JSON.stringify(r)), fc.string({ maxLength: 40 })), { maxLength: 4 }).map((lines) => lines.join('\n')),
);

describe('results store reader on hostile stores', () => {
  it('keeps only whole records, with finite numbers and a raw result that gives their metric', { timeout: 60_000 }, () => {
    expect(records.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(storeTexts, (text) => {
        const { records: kept, problems } = expectParsedOrRefused(() => parseResultLines(text)) ?? { records: [], problems: [] };
        for (const problem of problems) expect(Number.isSafeInteger(problem.line)).toBe(true);
        for (const record of kept) {
          expectFiniteNumbers(record);
          const metric = expectParsedOrRefused(() => primaryMetric(record.raw));
          expect(metric?.value).toBe(record.metric.value);
          expectParsedOrRefused(() => formatMetric(record.raw));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
