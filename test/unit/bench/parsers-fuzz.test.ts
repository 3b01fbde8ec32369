import fc from 'fast-check';
import { describe, it } from 'vitest';
import { detectTool, parseBenchmarkOutput } from '../../../extension/core/measuring/workloads/detect';
import { parseIperf2 } from '../../../extension/core/measuring/workloads/iperf2';
import { parseIperf3Json } from '../../../extension/core/measuring/workloads/iperf3';
import { formatMetric, primaryMetric } from '../../../extension/core/measuring/workloads/metric';
import { parseSysbenchCpu } from '../../../extension/core/measuring/workloads/sysbench-cpu';
import { parseSysbenchMemory } from '../../../extension/core/measuring/workloads/sysbench-memory';
import { expectParsedOrRefused, mutated, withReplacedField } from '../../support/fuzz';
import { fixture, fixtureNames } from './fixture';

// Benchmark output comes from guests and imported files: each parser either reads it or throws
// a BenchmarkError, and what it reads has no NaN or infinite number. Seeds are real captures.
const names = fixtureNames();
const seeds = (prefix: string): string[] => names.filter((name) => name.startsWith(prefix)).map(fixture);
const RUNS = 1000;

function parsedOrRefused(parse: (text: string) => object, text: string): void {
  const result = expectParsedOrRefused(() => parse(text));
  // What reports and charts do with a result must not throw either.
  if (result !== undefined) expectParsedOrRefused(() => [primaryMetric(result as never), formatMetric(result as never)]);
}

describe('benchmark parsers on mutated captures', () => {
  it('sysbench cpu', { timeout: 60_000 }, () => {
    fc.assert(fc.property(mutated(seeds('sysbench-').filter((t) => /prime/i.test(t))), (text) => parsedOrRefused(parseSysbenchCpu, text)), { numRuns: RUNS });
  });

  it('sysbench memory', { timeout: 60_000 }, () => {
    fc.assert(fc.property(mutated(seeds('sysbench-').filter((t) => /memory speed/i.test(t))), (text) => parsedOrRefused(parseSysbenchMemory, text)), { numRuns: RUNS });
  });

  it('iperf 2', { timeout: 60_000 }, () => {
    fc.assert(fc.property(mutated(seeds('iperf-2')), (text) => parsedOrRefused(parseIperf2, text)), { numRuns: RUNS });
  });

  it('iperf3 JSON, mutated as text', { timeout: 60_000 }, () => {
    fc.assert(fc.property(mutated(seeds('iperf3-')), (text) => parsedOrRefused(parseIperf3Json, text)), { numRuns: RUNS / 2 });
  });

  it('iperf3 JSON, one field replaced by any JSON value (1e999 included)', { timeout: 60_000 }, () => {
    const objects = seeds('iperf3-').flatMap((text) => {
      try {
        return [JSON.parse(text) as unknown];
      } catch {
        return [];
      }
    });
    const texts = fc.constantFrom(...objects).chain(withReplacedField);
    // Found by this property: a start time beyond what a Date holds threw a RangeError.
    const farFuture = fixture('iperf3-3.12-client.json').replace(/"timesecs":\s*[\d.]+/, '"timesecs": 2.9e226');
    fc.assert(fc.property(texts, (text) => parsedOrRefused(parseIperf3Json, text)), { numRuns: RUNS, examples: [[farFuture]] });
  });

  it('detection and the generic entry point, on any text', { timeout: 60_000 }, () => {
    const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), mutated(names.map(fixture), 12));
    fc.assert(
      fc.property(anyText, (text) => {
        expectParsedOrRefused(() => detectTool(text));
        parsedOrRefused(parseBenchmarkOutput, text);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});
