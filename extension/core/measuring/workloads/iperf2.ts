/**
 * iperf 2 text output (client or server side; 2.0.5 to 2.1.x; plain, `-e` enhanced, `-u` UDP,
 * `-P` parallel with `[SUM]` lines, `-i` intervals, any `-f` format) → {@link Iperf2Result}.
 *
 * ```
 * [  3]  0.0-10.0 sec  1.10 GBytes   943 Mbits/sec              2.0.x
 * [  1] 0.0000-1.0026 sec  2.36 GBytes  20.3 Gbits/sec          2.1.x
 * [SUM] 0.0000-1.0018 sec  3.29 GBytes  28.3 Gbits/sec          -P 2
 * ```
 *
 * Transfers use binary units (KBytes = 1024 bytes), rates in bits decimal ones (Mbits = 10⁶
 * bits), as iperf prints them. Each stream's total is its line from the earliest start to the
 * latest end; the test's total is the last such `[SUM]` line, or the one stream's total, or the
 * streams' totals added up when iperf printed no `[SUM]`.
 */
import { BenchmarkError } from './errors';
import { binaryFactor, cleanText, describeFound, finiteNumber, looksLikeIperf3Text, scaleDecimal } from './text';

/** One report line. */
export interface Iperf2Line {
  /** Stream number (`3`), or `SUM`. */
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly bitsPerSecond: number;
  /** UDP receiver figures, when the line has them. */
  readonly jitterMs: number | undefined;
  readonly lostDatagrams: number | undefined;
  readonly totalDatagrams: number | undefined;
  /** TCP retries in `-e` client output. */
  readonly retries: number | undefined;
}

/** A stretch of the test with the figures summed over streams. */
export interface Iperf2Total {
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly bitsPerSecond: number;
  /** Where it came from: a `[SUM]` line, the single stream, or the streams added up. */
  readonly source: 'sum' | 'single-stream' | 'summed-streams';
}

/** What one iperf 2 test measured, as one side printed it. */
export interface Iperf2Result {
  readonly benchmark: 'iperf';
  /** Which side printed it; `unknown` when only report lines were pasted. */
  readonly side: 'client' | 'server' | 'unknown';
  readonly protocol: 'TCP' | 'UDP' | undefined;
  /** `-R` (iperf 2.1): the server sent. */
  readonly reverse: boolean;
  /** `-e` enhanced reports. */
  readonly enhanced: boolean;
  readonly streams: number;
  /** The whole test; its `bitsPerSecond` is the figure to compare. */
  readonly total: Iperf2Total;
  /** `-i` interval totals in order (without the final total); empty without `-i`. */
  readonly intervals: readonly Iperf2Total[];
  /** Each stream's final line. */
  readonly streamTotals: readonly Iperf2Line[];
  /** UDP clients: the server's reports of what it received, per stream. */
  readonly serverReports: readonly Iperf2Line[];
  /** Every report line, in order. */
  readonly lines: readonly Iperf2Line[];
}

const TOOL = 'iperf';

const NUMBER = '(\\d+(?:\\.\\d+)?)';
const LINE = new RegExp(
  `^\\[\\s*(SUM(?:-\\d+)?|\\*?\\s*\\d+)\\s*\\]\\s+${NUMBER}\\s*-\\s*${NUMBER}\\s+sec\\s+${NUMBER}\\s+([KMGTkmgt]?)(Bytes|bits)\\s+${NUMBER}\\s+([KMGTkmgt]?)(bits|Bytes)\\/sec(.*)$`,
);

function parseLine(text: string): Iperf2Line | undefined {
  const m = LINE.exec(text.trim());
  if (m === null) return undefined;
  const [, rawId = '', start = '', end = '', amount = '', amountPrefix = '', amountUnit = '', rate = '', ratePrefix = '', rateUnit = '', rest = ''] = m;
  const bytes =
    amountUnit === 'Bytes'
      ? Number(amount) * binaryFactor(amountPrefix)
      : scaleDecimal(amount, amountPrefix) / 8;
  const bitsPerSecond = rateUnit === 'bits' ? scaleDecimal(rate, ratePrefix) : Number(rate) * binaryFactor(ratePrefix) * 8;
  const udp = /([\d.]+)\s*ms\s+(\d+)\s*\/\s*(\d+)\s*\(/.exec(rest);
  const retries = /^\s*\d+\/\d+\s+(\d+)\b/.exec(rest);
  const id = rawId.replace(/[\s*]/g, '');
  return {
    id: id.startsWith('SUM') ? 'SUM' : id,
    start: finiteNumber(start, 'an interval start', TOOL),
    end: finiteNumber(end, 'an interval end', TOOL),
    bytes: finiteNumber(String(bytes), `a transfer "${amount} ${amountPrefix}${amountUnit}"`, TOOL),
    bitsPerSecond: finiteNumber(String(bitsPerSecond), `a bandwidth "${rate} ${ratePrefix}${rateUnit}/sec"`, TOOL),
    jitterMs: udp?.[1] === undefined ? undefined : finiteNumber(udp[1], 'jitter', TOOL),
    lostDatagrams: udp?.[2] === undefined ? undefined : finiteNumber(udp[2], 'lost datagrams', TOOL),
    totalDatagrams: udp?.[3] === undefined ? undefined : finiteNumber(udp[3], 'total datagrams', TOOL),
    retries: retries?.[1] === undefined ? undefined : finiteNumber(retries[1], 'retries', TOOL),
  };
}

/** The line covering a series from its earliest start to its latest end (the last one if several). */
function finalLine(lines: readonly Iperf2Line[]): Iperf2Line | undefined {
  const earliest = Math.min(...lines.map((l) => l.start));
  let best: Iperf2Line | undefined;
  for (const line of lines) {
    if (line.start === earliest && (best === undefined || line.end >= best.end)) best = line;
  }
  return best;
}

function asTotal(line: Iperf2Line, source: Iperf2Total['source']): Iperf2Total {
  return { start: line.start, end: line.end, bytes: line.bytes, bitsPerSecond: line.bitsPerSecond, source };
}

/**
 * Parses iperf 2 text output. Prompt lines, `^C` and anything that is not a report line are
 * skipped. Throws a {@link BenchmarkError} for text without report lines (saying what it looks
 * like instead, e.g. iperf3 text), for dual/tradeoff tests (`-d`/`-r`, both sides in one text),
 * and for a stream whose final total is missing (run cut short).
 */
export function parseIperf2(text: string): Iperf2Result {
  const clean = cleanText(text);
  if (looksLikeIperf3Text(clean)) {
    throw new BenchmarkError('Expected iperf 2 output, but found iperf3 text output.', {
      hint: 'iperf3 results are read from iperf3 --json (-J) output; run it again with --json.',
    });
  }
  const isClient = /^Client connecting to /m.test(clean);
  const isServer = /^Server listening on \w+ port/m.test(clean);
  if (isClient && isServer) {
    throw new BenchmarkError('This iperf 2 output holds both a client and a server report (a -d/-r dual or tradeoff test); one direction per test is read.', {
      hint: 'Run each direction as its own test (iperf 2.1: -R for the reverse direction).',
    });
  }
  const lines: Iperf2Line[] = [];
  const serverReports: Iperf2Line[] = [];
  const reportPending = new Set<string>();
  for (const raw of clean.split('\n')) {
    const marker = /^\[\s*\*?\s*(\d+|SUM)\s*\]\s*Server Report:/.exec(raw.trim());
    if (marker?.[1] !== undefined) {
      reportPending.add(marker[1]);
      continue;
    }
    const line = parseLine(raw);
    if (line === undefined) continue;
    if (reportPending.delete(line.id)) serverReports.push(line);
    else lines.push(line);
  }
  if (lines.length === 0) {
    throw new BenchmarkError(`Expected iperf 2 output with report lines like "[  3]  0.0-10.0 sec  1.10 GBytes  943 Mbits/sec", but found ${describeFound(clean)}.`);
  }
  const streamIds = [...new Set(lines.filter((l) => l.id !== 'SUM').map((l) => l.id))];
  const streamTotals: Iperf2Line[] = [];
  for (const id of streamIds) {
    const own = lines.filter((l) => l.id === id);
    const final = finalLine(own);
    const lastEnd = Math.max(...own.map((l) => l.end));
    if (final === undefined || (own.length > 1 && final.end < lastEnd)) {
      throw new BenchmarkError(`iperf 2 output has no final total for stream ${id}: its reports reach ${lastEnd} s but no line covers the whole run (was it cut short?).`);
    }
    streamTotals.push(final);
  }
  const sums = lines.filter((l) => l.id === 'SUM');
  const sumFinal = sums.length > 0 ? finalLine(sums) : undefined;
  const only = streamTotals[0];
  let total: Iperf2Total;
  if (sumFinal !== undefined) total = asTotal(sumFinal, 'sum');
  else if (streamTotals.length === 1 && only !== undefined) total = asTotal(only, 'single-stream');
  else {
    total = {
      start: Math.min(...streamTotals.map((l) => l.start)),
      end: Math.max(...streamTotals.map((l) => l.end)),
      bytes: streamTotals.reduce((a, l) => a + l.bytes, 0),
      bitsPerSecond: streamTotals.reduce((a, l) => a + l.bitsPerSecond, 0),
      source: 'summed-streams',
    };
  }
  const series = sums.length > 0 ? sums : streamTotals.length === 1 ? lines.filter((l) => l.id === only?.id) : [];
  const finalOfSeries = sums.length > 0 ? sumFinal : only;
  const intervals = series.filter((l) => l !== finalOfSeries).map((l) => asTotal(l, sums.length > 0 ? 'sum' : 'single-stream'));
  const protocol = /\bUDP port\b|datagrams/.test(clean) || lines.some((l) => l.jitterMs !== undefined) ? 'UDP' : /\bTCP port\b|TCP window size/.test(clean) ? 'TCP' : undefined;
  return {
    benchmark: 'iperf',
    side: isClient ? 'client' : isServer ? 'server' : 'unknown',
    protocol,
    reverse: /\(reverse\)/.test(clean) || /^\[\s*\*\s*\d+\s*\]/m.test(clean),
    enhanced: /Write\/Err|Reads=Dist|NetPwr|\(sock=\d+\)/.test(clean),
    streams: streamIds.length,
    total,
    intervals,
    streamTotals,
    serverReports,
    lines,
  };
}
