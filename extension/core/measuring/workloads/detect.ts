/**
 * Which tool wrote a text, and the one parse call that reads any of them.
 */
import type { BenchmarkName } from '../../lab/model';
import { BenchmarkError } from './errors';
import { parseIperf2, type Iperf2Result } from './iperf2';
import { parseIperf3Json, type Iperf3Result } from './iperf3';
import { parseSysbenchCpu, type SysbenchCpuResult } from './sysbench-cpu';
import { parseSysbenchMemory, type SysbenchMemoryResult } from './sysbench-memory';
import { cleanText, firstLine, looksLikeIperf3Text } from './text';

/** Any parsed result; `benchmark` says which. */
export type ParsedBenchmark = SysbenchCpuResult | SysbenchMemoryResult | Iperf3Result | Iperf2Result;

const EXPECTED = 'sysbench cpu or memory output, iperf3 --json output, or iperf 2 output';

/**
 * The tool (and sysbench test) that produced a text: `sysbench-cpu`, `sysbench-memory`, `iperf3`
 * (JSON) or `iperf` (iperf 2 text). Throws a {@link BenchmarkError} that says what the text looks
 * like when it is none of them: empty, another sysbench test, iperf3 text without `--json`, …
 */
export function detectTool(text: string): BenchmarkName {
  const clean = cleanText(text);
  if (clean.trim() === '') throw new BenchmarkError(`Expected ${EXPECTED}, but the text is empty.`);
  if (/"start"\s*:\s*\{/.test(clean) && (/"version"\s*:\s*"iperf 3/.test(clean) || /"test_start"\s*:/.test(clean))) return 'iperf3';
  if (/Running memory speed test/.test(clean)) return 'sysbench-memory';
  if (/Prime numbers limit:|Maximum prime number checked in CPU test:/.test(clean)) return 'sysbench-cpu';
  if (/^\s*sysbench \d/m.test(clean)) {
    const what = /SQL statistics|File operations|Doing (\w+)|mutex|threads fairness/i.exec(clean)?.[0];
    throw new BenchmarkError(`Found sysbench output, but not of the cpu or memory test${what ? ` (it has "${what}")` : ''}.`, {
      hint: 'Only `sysbench cpu run` and `sysbench memory run` results are read.',
    });
  }
  if (looksLikeIperf3Text(clean)) {
    throw new BenchmarkError('Found iperf3 text output; iperf3 results are read from its JSON output.', {
      hint: 'Run iperf3 again with --json (-J) and import that.',
    });
  }
  if (/^Client connecting to |^Server listening on \w+ port/m.test(clean) || /^\[\s*(?:SUM|\*?\s*\d+)\s*\]\s+[\d.]+\s*-\s*[\d.]+\s+sec\s+[\d.]+\s+[KMGT]?(?:Bytes|bits)/m.test(clean)) {
    return 'iperf';
  }
  if (/^\s*[{[]/.test(clean)) throw new BenchmarkError(`Expected ${EXPECTED}, but found JSON that is not iperf3 output.`);
  throw new BenchmarkError(`Expected ${EXPECTED}, but found text starting with "${firstLine(clean)}".`);
}

/** Parses a text with the parser for `tool`, or for the tool {@link detectTool} finds. */
export function parseBenchmarkOutput(text: string, tool: BenchmarkName = detectTool(text)): ParsedBenchmark {
  switch (tool) {
    case 'sysbench-cpu':
      return parseSysbenchCpu(text);
    case 'sysbench-memory':
      return parseSysbenchMemory(text);
    case 'iperf3':
      return parseIperf3Json(text);
    case 'iperf':
      return parseIperf2(text);
  }
}
