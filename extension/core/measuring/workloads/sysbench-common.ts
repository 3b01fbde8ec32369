/**
 * What `sysbench cpu run` and `sysbench memory run` print alike: the version line, the number of
 * threads, the general statistics and the latency block. Versions 0.4 (latency "per-request
 * statistics" in ms with "approx.  95 percentile"), 1.0.x and 1.1 are read.
 */
import { BenchmarkError } from './errors';
import { describeFound, finiteNumber } from './text';

/** Latency of one event, in milliseconds, as sysbench reports it. */
export interface SysbenchLatency {
  readonly minMs: number;
  readonly avgMs: number;
  readonly maxMs: number;
  /** Which percentile sysbench printed (95 unless run with `--percentile`). */
  readonly percentile: number;
  readonly percentileMs: number;
  /** Sum of all event latencies; sysbench 0.4 does not print it. */
  readonly sumMs: number | undefined;
}

/** The parts common to every sysbench run. */
export interface SysbenchCommon {
  /** `1.0.20`, `1.0.18`, `1.1.0-4e0e44c`, `0.4.12`; undefined when the header line was not pasted. */
  readonly version: string | undefined;
  readonly threads: number;
  readonly totalTimeSeconds: number;
  readonly totalEvents: number;
  readonly latency: SysbenchLatency;
}

/** The sysbench version in a text's header line, if it is there. */
export function sysbenchVersion(text: string): string | undefined {
  return /\bsysbench (\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z]+)?)/.exec(text)?.[1];
}

function must(text: string, pattern: RegExp, field: string, tool: string): string {
  const match = pattern.exec(text);
  if (match?.[1] === undefined) {
    throw new BenchmarkError(`${tool} output is incomplete: found no ${field} line (was the run interrupted or only part of it pasted?).`, {
      hint: `Paste everything sysbench printed, from its "sysbench 1.x" line to "Threads fairness".`,
    });
  }
  return match[1];
}

/**
 * Reads the common parts. `tool` names the test in messages (`sysbench cpu`). Throws a
 * {@link BenchmarkError} when a part is missing, or when the text holds more than one run.
 */
export function readSysbenchCommon(text: string, tool: string): SysbenchCommon {
  const runs = (text.match(/^\s*total number of events:/gm) ?? []).length;
  if (runs > 1) {
    throw new BenchmarkError(`Expected the output of one ${tool} run, found ${runs} runs in one text.`, {
      hint: 'Keep one run per file; each becomes its own record.',
    });
  }
  const threads = finiteNumber(must(text, /Number of threads:\s*(\d+)/, '"Number of threads"', tool), 'the number of threads', tool);
  const totalTimeSeconds = finiteNumber(must(text, /total time:\s*([\d.]+)\s*s\b/, '"total time"', tool), 'total time', tool);
  const totalEvents = finiteNumber(must(text, /total number of events:\s*(\d+)/, '"total number of events"', tool), 'total number of events', tool);
  const value = (name: string): number =>
    finiteNumber(must(text, new RegExp(`^\\s*${name}:\\s*([\\d.]+)\\s*(?:ms)?\\s*$`, 'm'), `latency "${name}"`, tool), `latency ${name}`, tool);
  const percentileMatch = /^\s*(?:approx\.\s+)?(\d+)(?:th)? percentile:\s*([\d.]+)\s*(?:ms)?\s*$/m.exec(text);
  if (percentileMatch?.[1] === undefined || percentileMatch[2] === undefined) {
    throw new BenchmarkError(`${tool} output is incomplete: found no latency percentile line ("95th percentile:").`);
  }
  const sum = /^\s*sum:\s*([\d.]+)\s*$/m.exec(text)?.[1];
  return {
    version: sysbenchVersion(text),
    threads,
    totalTimeSeconds,
    totalEvents,
    latency: {
      minMs: value('min'),
      avgMs: value('avg'),
      maxMs: value('max'),
      percentile: finiteNumber(percentileMatch[1], 'the latency percentile', tool),
      percentileMs: finiteNumber(percentileMatch[2], 'the latency percentile', tool),
      sumMs: sum === undefined ? undefined : finiteNumber(sum, 'latency sum', tool),
    },
  };
}

/** The error for a text that is not the sysbench test a parser reads. */
export function notSysbench(text: string, expected: string, marker: string): BenchmarkError {
  return new BenchmarkError(`Expected the output of ${expected}, with a "${marker}" line, but found ${describeFound(text)}.`);
}
