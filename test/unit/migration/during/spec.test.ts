import { describe, expect, it } from 'vitest';
import { estimateAnchor } from '../../../../extension/core/migration/during/anchor';
import { parseDuringList } from '../../../../extension/core/migration/during/spec';
import { guestNetworkClientArgv } from '../../../../extension/core/migration/during/commands';

describe('--during list', () => {
  it('reads BENCH@WHERE items', () => {
    expect(parseDuringList('sysbench-cpu@host, iperf3@guest,sysbench-memory@dest,iperf@guest')).toEqual({
      ok: true,
      value: [
        { benchmark: 'sysbench-cpu', target: 'host' },
        { benchmark: 'iperf3', target: 'guest' },
        { benchmark: 'sysbench-memory', target: 'dest' },
        { benchmark: 'iperf', target: 'guest' },
      ],
    });
  });

  it.each([
    ['', /at least one/],
    ['sysbench-cpu', /BENCH@WHERE/],
    ['sysbench-oltp@guest', /cannot be sampled per second/],
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

describe('the host-side iperf3 client of a guest server', () => {
  it('goes straight to the guest on a bridge, from inside the isolated network namespace, else through the forwarded port', () => {
    expect(guestNetworkClientArgv('iperf3', { guestAddress: '10.1.0.11' }, 8)).toEqual(['iperf3', '-c', '10.1.0.11', '-p', '5201', '-t', '8', '-i', '1', '--forceflush']);
    expect(guestNetworkClientArgv('iperf3', { guestAddress: '10.77.0.11', netns: 'qlab-lab' }, 8)?.slice(0, 6)).toEqual(['ip', 'netns', 'exec', 'qlab-lab', 'iperf3', '-c']);
    expect(guestNetworkClientArgv('iperf3', { forwardedPorts: { '22': 40022, '5201': 40201 } }, 8)?.slice(0, 5)).toEqual(['iperf3', '-c', '127.0.0.1', '-p', '40201']);
    expect(guestNetworkClientArgv('iperf3', { forwardedPorts: { '22': 40022 } }, 8)).toBeUndefined();
    // iperf 2: its own guest port (5001), the same two paths.
    expect(guestNetworkClientArgv('iperf', { forwardedPorts: { '5001': 40001 } }, 8)).toEqual(['iperf', '-c', '127.0.0.1', '-p', '40001', '-t', '8', '-i', '1', '-f', 'm']);
    expect(guestNetworkClientArgv('iperf', { guestAddress: '10.77.0.11', netns: 'qlab-lab' }, 8)?.slice(4, 8)).toEqual(['iperf', '-c', '10.77.0.11', '-p']);
  });
});
