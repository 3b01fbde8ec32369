import { describe, expect, it } from 'vitest';
import { estimateAnchor } from '../../../../extension/core/migration/during/anchor';
import { parseDuringList } from '../../../../extension/core/migration/during/spec';

describe('--during list', () => {
  it('reads BENCH@WHERE items', () => {
    expect(parseDuringList('sysbench-cpu@host, iperf3@guest,sysbench-memory@dest')).toEqual({
      ok: true,
      value: [
        { benchmark: 'sysbench-cpu', target: 'host' },
        { benchmark: 'iperf3', target: 'guest' },
        { benchmark: 'sysbench-memory', target: 'dest' },
      ],
    });
  });

  it.each([
    ['', /at least one/],
    ['sysbench-cpu', /BENCH@WHERE/],
    ['iperf@guest', /cannot be sampled per second/],
    ['sysbench-cpu@moon', /not a place/],
    ['sysbench-cpu@guest@host', /BENCH@WHERE/],
    ['iperf3@guest,iperf3@guest', /twice/],
  ])('refuses %j', (text, message) => {
    const parsed = parseDuringList(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('anchor of a benchmark clock', () => {
  it('is when the launch returned when nothing arrived live', () => {
    expect(estimateAnchor({ launchedMs: 100, launchReturnedMs: 400, liveOffsets: [] })).toBe(400);
  });

  it('is the earliest arrival minus interval end, never before the launch', () => {
    expect(estimateAnchor({ launchedMs: 100, launchReturnedMs: 400, liveOffsets: [650, 520, 2400] })).toBe(520);
    expect(estimateAnchor({ launchedMs: 100, launchReturnedMs: 400, liveOffsets: [50] })).toBe(100);
  });
});

describe('anchor bounded by the last write', () => {
  it('moves earlier when every line arrived late by the same amount', () => {
    // Lines seen 800 ms late each (tail -f reading once a second); stopped at 10 000 with the 8 s line written.
    expect(estimateAnchor({ launchedMs: 1000, launchReturnedMs: 1500, liveOffsets: [2800, 2800, 2800], lastWrite: { byMs: 10_000, relMs: 8000 } })).toBe(2000);
    expect(estimateAnchor({ launchedMs: 1000, launchReturnedMs: 1500, liveOffsets: [2800], lastWrite: { byMs: 20_000, relMs: 8000 } })).toBe(2800);
  });
});
