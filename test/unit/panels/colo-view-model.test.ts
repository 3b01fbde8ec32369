import { describe, expect, it, vi } from 'vitest';
import { failoverChoices } from '../../../extension/presentation/colo/colo-choices';
import { buildColoViewModel } from '../../../extension/presentation/panels/colo/view-model';
import { isColoViewModel } from '../../../webview/colo/model';
import { COLO_PROTOCOL, isFromColoWebview, isToColoWebview, type FromColoWebview, type ToColoWebview } from '../../../webview/colo/protocol';
import { extensionEndpoint, webviewEndpoint } from '../../../webview/shared/protocol';
import { pairStatus, side, snapshotOf } from '../presentation/colo/colo-fixtures';

const header = { labPath: '/lab/qemu-lab.yaml', vmName: 'vm1', secondaryHost: 'lab-b' };

describe('the COLO panel\'s view model', () => {
  it('shows both sides of a replicating pair: host, pid, run state, COLO mode, migration, QMP time, SSH', () => {
    const model = buildColoViewModel(header, snapshotOf(pairStatus('replicating')), undefined);
    expect(isColoViewModel(model)).toBe(true);
    expect(model).toMatchObject({ labPath: '/lab/qemu-lab.yaml', vmName: 'vm1', state: 'replicating', headline: 'Replicating: primary on local, secondary on lab-b.', canFailOver: true });
    expect(model.advice).toBeUndefined();
    expect(model.sides).toEqual([
      { role: 'primary', host: 'local', pid: '4242', runState: 'running', mode: 'primary (last: none)', migration: 'colo', qmp: '4 ms', ssh: 'ssh 127.0.0.1:2222', health: 'alive' },
      { role: 'secondary', host: 'lab-b', pid: '4343', runState: 'colo', mode: 'secondary (last: none)', migration: '—', qmp: '4 ms', ssh: 'ssh 127.0.0.1:2223', health: 'alive' },
    ]);
    expect(model.facts).toContainEqual({ name: 'Checkpoints', value: 'at least every 600 s; QEMU reports no checkpoint count or timing here' });
    expect(model.facts).toContainEqual({ name: 'RAM sent by the primary', value: '276.6 MiB' });
    expect(model.readAt).toBe('Read 2026-11-26 01:02:03Z (each QMP question bounded to 3 s).');
  });

  it('shows a hung primary as silent, with what to do', () => {
    const status = pairStatus('hung', { primary: side('primary', 'local', { qmp: 'unresponsive', responseMs: undefined, facts: undefined }) });
    const model = buildColoViewModel(header, snapshotOf(status, { primary: undefined, secondary: 'colo' }), undefined);
    expect(model.sides[0]).toMatchObject({ runState: 'QMP does not answer', qmp: 'no answer within 3 s', mode: '—', health: 'silent' });
    expect(model.advice).toMatch(/checkpoint hung/);
    expect(model.canFailOver).toBe(true);
  });

  it('shows the last failover and its reason, and no Fail Over once failed over', () => {
    const status = pairStatus('failed-over', {
      primary: side('primary', 'local', { alive: false, qmp: 'dead', pid: undefined, facts: undefined, responseMs: undefined }),
      secondary: side('secondary', 'local', { facts: { mode: 'none', lastMode: 'secondary', reason: 'request', migrationStatus: undefined, dirtySyncCount: undefined, transferredBytes: undefined } }),
      lastFailover: { survivor: 'secondary', reason: 'primary-lost', at: '2026-11-26T01:05:00.000Z', durationMs: 250 },
    });
    const model = buildColoViewModel(header, snapshotOf(status, { primary: undefined, secondary: 'running' }), undefined);
    expect(model.headline).toBe('Failed over: the guest runs on the secondary (local) alone, without replication.');
    expect(model.lastFailover).toBe('to the secondary on local at 2026-11-26 01:05:00Z (heartbeat: the primary QEMU was gone; took 250 ms)');
    expect(model.sides[0]).toMatchObject({ pid: '—', runState: 'not running', qmp: '—', ssh: '—', health: 'gone' });
    expect(model.sides[1]).toMatchObject({ host: 'local (second QEMU)', runState: 'running', mode: 'none (last: secondary, left COLO: request)' });
    expect(model.canFailOver).toBe(false);
    expect(isColoViewModel(model)).toBe(true);
  });

  it('says there is no pair, and how to make one', () => {
    const model = buildColoViewModel(header, { kind: 'no-pair', readAt: '2026-11-26T01:00:00.000Z' }, undefined);
    expect(model).toMatchObject({ state: 'none', headline: 'No COLO pair (the secondary would run on lab-b).', advice: '"QEMU Lab: Start COLO Pair" sets one up.', sides: [], canFailOver: false });
  });

  it('says what runs while a COLO command is busy, and offers no Fail Over meanwhile', () => {
    const model = buildColoViewModel(header, snapshotOf(pairStatus('replicating')), 'failing over');
    expect(model).toMatchObject({ state: 'busy', headline: 'Failing over…', canFailOver: false });
    expect(model.sides).toHaveLength(2);
    expect(buildColoViewModel(header, undefined, undefined).headline).toBe('Reading the pair…');
  });

  it('shows an unreadable pair with why', () => {
    const model = buildColoViewModel(header, { kind: 'unreadable', message: 'SSH to lab-b failed', readAt: '2026-11-26T01:00:00.000Z' }, undefined);
    expect(model).toMatchObject({ state: 'unreadable', advice: 'SSH to lab-b failed', canFailOver: false });
  });
});

describe('the COLO Fail Over choices', () => {
  it('offers the secondary first, then the primary, each saying what it means', () => {
    const choices = failoverChoices(pairStatus('replicating'));
    expect(choices.map((c) => c.survivor)).toEqual(['secondary', 'primary']);
    expect(choices[0]?.detail).toMatch(/primary QEMU on local is killed first/);
    expect(choices[1]?.detail).toMatch(/secondary QEMU on lab-b is killed.*without replication/);
  });

  it('offers only a side that runs, and not a primary whose QMP is silent', () => {
    expect(failoverChoices(pairStatus('primary-lost', { primary: side('primary', 'local', { alive: false, qmp: 'dead' }) })).map((c) => c.survivor)).toEqual(['secondary']);
    expect(failoverChoices(pairStatus('secondary-lost', { secondary: side('secondary', 'lab-b', { alive: false, qmp: 'dead' }) })).map((c) => c.survivor)).toEqual(['primary']);
    expect(failoverChoices(pairStatus('hung', { primary: side('primary', 'local', { qmp: 'unresponsive' }) })).map((c) => c.survivor)).toEqual(['secondary']);
    expect(failoverChoices(pairStatus('stopped', { primary: side('primary', 'local', { alive: false }), secondary: side('secondary', 'lab-b', { alive: false }) }))).toEqual([]);
  });
});

describe('the COLO panel protocol', () => {
  const model = buildColoViewModel(header, snapshotOf(pairStatus('replicating')), undefined);

  it('accepts the model and the panel\'s messages, and nothing malformed', () => {
    expect(isToColoWebview({ type: 'colo', model })).toBe(true);
    expect(isToColoWebview({ type: 'colo', model: { ...model, canFailOver: 'yes' } })).toBe(false);
    expect(isToColoWebview({ type: 'colo', model: { ...model, state: 'exploded' } })).toBe(false);
    expect(isToColoWebview({ type: 'colo', model: { ...model, sides: [{ ...model.sides[0], health: 'meh' }] } })).toBe(false);
    expect(isToColoWebview({ type: 'migration', model })).toBe(false);
    for (const message of [{ type: 'ready' }, { type: 'refresh' }, { type: 'failOver' }, { type: 'log', level: 'error', message: 'x' }]) expect(isFromColoWebview(message)).toBe(true);
    expect(isFromColoWebview({ type: 'cancelMigration' })).toBe(false);
    expect(isFromColoWebview({ type: 'log', level: 'info', message: 'x' })).toBe(false);
  });

  it('passes well-formed messages between the ends and drops the rest with a log line', async () => {
    const toWebview: ToColoWebview[] = [];
    const received: FromColoWebview[] = [];
    const problems: string[] = [];
    const extension = extensionEndpoint(COLO_PROTOCOL, (m) => void received.push(m), (m) => toWebview.push(m), (p) => problems.push(p));
    const seen = vi.fn();
    const webview = webviewEndpoint(COLO_PROTOCOL, seen, () => undefined);
    extension.post({ type: 'colo', model });
    await webview.receive(JSON.parse(JSON.stringify(toWebview[0])));
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ type: 'colo' }));
    await extension.receive({ type: 'failOver' });
    await extension.receive({ type: 'refresh' });
    await extension.receive({ type: 'selectRun', runId: 'x' });
    expect(received).toEqual([{ type: 'failOver' }, { type: 'refresh' }]);
    expect(problems).toEqual([expect.stringMatching(/ignored a malformed message: a "selectRun" message/)]);
  });
});
