/**
 * `iperf3 --json` output (client or server side, 3.0 to 3.16+) → {@link Iperf3Result}.
 *
 * The JSON object is found inside the text, so a prompt line before it, `^C` or a prompt after it
 * do not matter. iperf3's own `"error"` (connection refused, interrupted run) becomes a
 * {@link BenchmarkError} with iperf3's words.
 */
import { BenchmarkError } from './errors';
import { cleanText, describeFound, finiteJsonNumber, looksLikeIperf3Text } from './text';
import { isJsonObject } from '../../infrastructure/support/json-object';

/** One end-of-test summary: what was sent, or what was received. */
export interface Iperf3Summary {
  readonly bytes: number;
  readonly bitsPerSecond: number;
  readonly seconds: number;
  /** TCP retransmits, on the sending side only. */
  readonly retransmits: number | undefined;
}

/** One reporting interval, summed over the streams. */
export interface Iperf3Interval {
  readonly start: number;
  readonly end: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly bitsPerSecond: number;
  readonly retransmits: number | undefined;
  /** Inside the `-O` warm-up, which iperf3 leaves out of the summaries. */
  readonly omitted: boolean;
}

/** UDP loss and jitter as the receiver saw them. */
export interface Iperf3Udp {
  readonly jitterMs: number;
  readonly lostPackets: number;
  readonly packets: number;
  readonly lostPercent: number;
}

/** What one iperf3 test measured. */
export interface Iperf3Result {
  readonly benchmark: 'iperf3';
  /** `3.12`, `3.9`, `3.0.11`; undefined if the JSON does not say. */
  readonly version: string | undefined;
  /** `uname -a` of the machine that wrote the JSON. */
  readonly systemInfo: string | undefined;
  /** Which end wrote this JSON. */
  readonly role: 'client' | 'server';
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** `-R`: the server sent and the client received. */
  readonly reverse: boolean;
  /** `-P`. */
  readonly streams: number;
  /** `-t` as asked (0 when the test was sized with `-n`/`-k`). */
  readonly plannedDurationSeconds: number | undefined;
  /** How long the measured part lasted, from the summary used as the headline. */
  readonly durationSeconds: number;
  readonly sender: Iperf3Summary | undefined;
  readonly receiver: Iperf3Summary | undefined;
  /** The figure to compare: the receiver's rate when there is one, else the only summary (old UDP JSON). */
  readonly headline: { readonly side: 'receiver' | 'sender' | 'sum'; readonly bitsPerSecond: number; readonly bytes: number };
  readonly udp: Iperf3Udp | undefined;
  readonly intervals: readonly Iperf3Interval[];
  /** When the test ran, from `start.timestamp`, ISO 8601. */
  readonly startedAt: string | undefined;
}

const TOOL = 'iperf3';

type Json = Readonly<Record<string, unknown>>;

function object(value: unknown): Json | undefined {
  return isJsonObject(value) ? value : undefined;
}

/**
 * The first complete JSON object in a text, as text. Throws a {@link BenchmarkError} when there is
 * no `{` or the object never closes (output cut short).
 */
export function extractJsonObject(text: string, tool: string): string {
  const lines = text.split('\n');
  let offset = 0;
  let start = -1;
  for (const line of lines) {
    if (line.trimStart().startsWith('{')) {
      start = offset + line.indexOf('{');
      break;
    }
    offset += line.length + 1;
  }
  if (start < 0) start = text.indexOf('{');
  if (start < 0) {
    throw new BenchmarkError(`Expected ${tool} --json output (a JSON object), but found ${describeFound(text)}.`, {
      hint: looksLikeIperf3Text(text) ? 'Run iperf3 with --json (-J): its text output is not read.' : undefined,
    });
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  throw new BenchmarkError(`${tool} JSON output is cut short: the object that starts at line ${text.slice(0, start).split('\n').length} never closes.`, {
    hint: 'Was iperf3 interrupted, or only part of its output copied?',
  });
}

function summary(value: unknown, field: string): Iperf3Summary | undefined {
  const o = object(value);
  if (o === undefined) return undefined;
  return {
    bytes: finiteJsonNumber(o.bytes, `${field}.bytes`, TOOL),
    bitsPerSecond: finiteJsonNumber(o.bits_per_second, `${field}.bits_per_second`, TOOL),
    seconds: finiteJsonNumber(o.seconds, `${field}.seconds`, TOOL),
    retransmits: o.retransmits === undefined ? undefined : finiteJsonNumber(o.retransmits, `${field}.retransmits`, TOOL),
  };
}

function interval(value: unknown, index: number): Iperf3Interval {
  const sum = object(object(value)?.sum);
  const field = `intervals[${index}].sum`;
  if (sum === undefined) throw new BenchmarkError(`${TOOL} output has no ${field}.`);
  return {
    start: finiteJsonNumber(sum.start, `${field}.start`, TOOL),
    end: finiteJsonNumber(sum.end, `${field}.end`, TOOL),
    seconds: finiteJsonNumber(sum.seconds, `${field}.seconds`, TOOL),
    bytes: finiteJsonNumber(sum.bytes, `${field}.bytes`, TOOL),
    bitsPerSecond: finiteJsonNumber(sum.bits_per_second, `${field}.bits_per_second`, TOOL),
    retransmits: sum.retransmits === undefined ? undefined : finiteJsonNumber(sum.retransmits, `${field}.retransmits`, TOOL),
    omitted: sum.omitted === true,
  };
}

function udpStats(value: unknown, field: string): Iperf3Udp | undefined {
  const o = object(value);
  if (o === undefined || o.jitter_ms === undefined) return undefined;
  return {
    jitterMs: finiteJsonNumber(o.jitter_ms, `${field}.jitter_ms`, TOOL),
    lostPackets: finiteJsonNumber(o.lost_packets, `${field}.lost_packets`, TOOL),
    packets: finiteJsonNumber(o.packets, `${field}.packets`, TOOL),
    lostPercent: finiteJsonNumber(o.lost_percent, `${field}.lost_percent`, TOOL),
  };
}

/** `timesecs` as an ISO time; undefined when it is not a number or beyond what a Date holds (±8.64e12 s). */
function isoTimeOf(timesecs: unknown): string | undefined {
  if (typeof timesecs !== 'number') return undefined;
  const time = new Date(timesecs * 1000);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/**
 * Parses `iperf3 --json` output of a client or a server. Throws a {@link BenchmarkError} for text
 * without a JSON object, JSON cut short, JSON that is not iperf3's, iperf3's own errors, and any
 * number that is not finite.
 */
export function parseIperf3Json(text: string): Iperf3Result {
  const clean = cleanText(text);
  const jsonText = extractJsonObject(clean, TOOL);
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText);
  } catch (error) {
    throw new BenchmarkError(`${TOOL} output is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  const root = object(parsed);
  const start = object(root?.start);
  const version = typeof start?.version === 'string' ? start.version : undefined;
  if (root === undefined || start === undefined || (version !== undefined && !/^iperf 3/.test(version)) || (version === undefined && start.test_start === undefined)) {
    throw new BenchmarkError(`Expected iperf3 --json output (an object with start.version "iperf 3.x"), but found JSON without it.`);
  }
  if (typeof root.error === 'string') {
    throw new BenchmarkError(`iperf3 reported an error: ${root.error}.`, {
      hint: 'The test did not complete, so there is no result to store.',
    });
  }
  const end = object(root.end);
  if (end === undefined || Object.keys(end).length === 0) {
    throw new BenchmarkError(`${TOOL} output has no end summary (the "end" object is missing or empty): the test did not finish.`);
  }
  const testStart = object(start.test_start);
  const protocolText = typeof testStart?.protocol === 'string' ? testStart.protocol.toUpperCase() : 'TCP';
  const protocol = protocolText === 'UDP' || protocolText === 'SCTP' ? protocolText : 'TCP';
  const sender = summary(end.sum_sent, 'end.sum_sent');
  const receiver = summary(end.sum_received, 'end.sum_received');
  const sum = summary(end.sum, 'end.sum');
  const headlineSource: ['receiver' | 'sender' | 'sum', Iperf3Summary] | undefined = receiver
    ? ['receiver', receiver]
    : sum
      ? ['sum', sum]
      : sender
        ? ['sender', sender]
        : undefined;
  if (headlineSource === undefined) {
    throw new BenchmarkError(`${TOOL} output has no end.sum_received, end.sum_sent or end.sum: nothing was measured.`);
  }
  const [side, headline] = headlineSource;
  const intervals = Array.isArray(root.intervals) ? root.intervals.map((value, index) => interval(value, index)) : [];
  const timesecs = object(start.timestamp)?.timesecs;
  return {
    benchmark: 'iperf3',
    version: version?.replace(/^iperf\s+/, ''),
    systemInfo: typeof start.system_info === 'string' ? start.system_info.trim() : undefined,
    role: start.connecting_to !== undefined ? 'client' : start.accepted_connection !== undefined ? 'server' : 'client',
    protocol,
    reverse: testStart?.reverse === 1 || testStart?.reverse === true,
    streams: testStart?.num_streams === undefined ? 1 : finiteJsonNumber(testStart.num_streams, 'start.test_start.num_streams', TOOL),
    plannedDurationSeconds: testStart?.duration === undefined ? undefined : finiteJsonNumber(testStart.duration, 'start.test_start.duration', TOOL),
    durationSeconds: headline.seconds,
    sender,
    receiver,
    headline: { side, bitsPerSecond: headline.bitsPerSecond, bytes: headline.bytes },
    udp: udpStats(end.sum_received, 'end.sum_received') ?? udpStats(end.sum, 'end.sum'),
    intervals,
    startedAt: isoTimeOf(timesecs),
  };
}
