import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointLookMs, guestRunEvent, summarizeCheckpoints, type GuestRunEvent } from '../../../extension/core/colo/checkpoints';
import { parseSideFacts } from '../../../extension/core/colo/side-status';
import type { QmpEvent } from '../../../extension/core/infrastructure/qmp/messages';
import { checkpointLookWords, pausedShare } from '../../../extension/presentation/colo/colo-words';
import { buildColoViewModel } from '../../../extension/presentation/panels/colo/view-model';
import { coloStatusText } from '../../../extension/presentation/colo/colo-status-text';
import { pairStatus, snapshotOf } from '../presentation/colo/colo-fixtures';

// What a real QEMU 11.1.3 COLO primary said while it replicated (TCG, checkpointDelay 2 s),
// captured over QMP: query-migrate counts nothing, the STOP/RESUME events mark each checkpoint.
const captured = JSON.parse(readFileSync(join(__dirname, '../../fixtures/colo/colo-11.1.3-primary.json'), 'utf8')) as {
  'query-migrate': Record<string, never>;
  'query-colo-status': Record<string, string>;
  events: { event: string; timestamp: { seconds: number; microseconds: number } }[];
};
const events = captured.events.map((e) => guestRunEvent({ ...e, data: {} } as QmpEvent)).filter((e): e is GuestRunEvent => e !== undefined);

describe('COLO checkpoints as they happen', () => {
  it('11.1.3 reports no memory syncs in COLO: query-migrate has no ram figures', () => {
    const facts = parseSideFacts(captured['query-colo-status'], captured['query-migrate']);
    expect(facts).toMatchObject({ mode: 'primary', migrationStatus: 'colo', dirtySyncCount: undefined, transferredBytes: undefined });
  });

  it('reads the captured STOP/RESUME events as checkpoints: count, interval, pause, from QEMU’s timestamps', () => {
    const look = summarizeCheckpoints(events, 7000);
    expect(look.count).toBe(5);
    expect(look.intervalsMs).toEqual([2004.8, 1995.6, 2000, 1999.951].map((v) => Math.round(v * 10) / 10));
    expect(look.pausesMs).toEqual([279.5, 352.5, 304.7, 227.9]);
    expect(look.pausedAtEnd).toBe(true);
    expect(checkpointLookWords(look)).toBe(
      "5 checkpoints in a 7 s look at the primary's STOP/RESUME events (QEMU counts no checkpoints); one every 1996–2005 ms; guest paused 228–353 ms each (15 % of the time); the guest was paused when the look ended",
    );
  });

  it('a RESUME before any STOP (a checkpoint under way when the look began) counts no pause; no events, no checkpoints', () => {
    expect(summarizeCheckpoints([{ event: 'RESUME', atUs: 5 }, { event: 'STOP', atUs: 2_000_005 }, { event: 'RESUME', atUs: 2_250_005 }], 3000)).toEqual({ lookMs: 3000, count: 1, intervalsMs: [], pausesMs: [250], pausedAtEnd: false });
    const none = summarizeCheckpoints([], 4500);
    expect(none).toEqual({ lookMs: 4500, count: 0, intervalsMs: [], pausesMs: [], pausedAtEnd: false });
    expect(checkpointLookWords(none)).toBe("0 checkpoints in a 4.5 s look at the primary's STOP/RESUME events (QEMU counts no checkpoints)");
    expect(guestRunEvent({ event: 'SHUTDOWN', data: {}, timestamp: { seconds: 1, microseconds: 0 } })).toBeUndefined();
  });

  it('the paused share is the mean pause over the mean interval, and needs an interval', () => {
    expect(pausedShare({ lookMs: 4500, count: 2, intervalsMs: [2000], pausesMs: [300, 500], pausedAtEnd: false })).toBeCloseTo(0.2);
    expect(pausedShare({ lookMs: 3000, count: 1, intervalsMs: [], pausesMs: [300], pausedAtEnd: false })).toBeUndefined();
  });

  it('looks two intervals long, and not at all when checkpoints come too seldom to be seen in a few seconds', () => {
    expect(checkpointLookMs(2000)).toBe(4500);
    expect(checkpointLookMs(2750)).toBe(6000);
    expect(checkpointLookMs(3000)).toBeUndefined();
    expect(checkpointLookMs(600_000)).toBeUndefined();
  });

  it('colo status and the COLO panel show the look, saying how it was measured', () => {
    const checkpoints = summarizeCheckpoints(events.slice(0, 4), 4500);
    const status = pairStatus('replicating', { checkpointDelayMs: 2000, checkpoints });
    expect(coloStatusText('vm1', status)).toContain(
      "\n  checkpoints: 2 checkpoints in a 4.5 s look at the primary's STOP/RESUME events (QEMU counts no checkpoints); one every 2005 ms; guest paused 280–353 ms each (16 % of the time)\n",
    );
    const model = buildColoViewModel({ labPath: '/lab/qemu-lab.yaml', vmName: 'vm1', secondaryHost: 'lab-b' }, snapshotOf(status), undefined);
    expect(model.facts).toContainEqual({
      name: 'Checkpoints',
      value: "at least every 2 s; 2 checkpoints in a 4.5 s look at the primary's STOP/RESUME events (QEMU counts no checkpoints); one every 2005 ms; guest paused 280–353 ms each (16 % of the time)",
    });
  });
});
