import { describe, expect, it } from 'vitest';
import type { FaultToleranceSpec } from '../../../../extension/core/lab/model';
import { coloTreeView } from '../../../../extension/presentation/colo/colo-tree-view';
import { pairStatus, side, snapshotOf } from './colo-fixtures';

const ft: FaultToleranceSpec = { mode: 'colo', secondary: 'lab-b', checkpointDelayMs: 600_000 } as FaultToleranceSpec;

describe('the COLO part of a VM item in the tree', () => {
  it('says what runs while a COLO command of the editor is busy, and that it reads the pair before the first reading', () => {
    expect(coloTreeView(ft, undefined, 'starting').description).toBe('COLO: starting…');
    expect(coloTreeView(ft, snapshotOf(pairStatus('replicating')), 'failing over').description).toBe('COLO: failing over…');
    expect(coloTreeView(ft, undefined, undefined).description).toBe('COLO: …');
  });

  it('says "no pair" and where the secondary would run', () => {
    const view = coloTreeView(ft, { kind: 'no-pair', readAt: 'now' }, undefined);
    expect(view.description).toBe('COLO: no pair');
    expect(view.tooltip.join('\n')).toMatch(/secondary would run on lab-b.*Start COLO Pair/);
  });

  it('shows an unreadable pair with why', () => {
    const view = coloTreeView(ft, { kind: 'unreadable', message: 'host lab-b is unreachable', readAt: 'now' }, undefined);
    expect(view.description).toBe('COLO: status unknown');
    expect(view.tooltip[0]).toContain('host lab-b is unreachable');
  });

  it('shows a replicating pair: both hosts, the primary\'s migration status and COLO mode; each side in the tooltip', () => {
    const view = coloTreeView(ft, snapshotOf(pairStatus('replicating')), undefined);
    expect(view.description).toBe('COLO: primary local · secondary lab-b · colo/primary');
    expect(view.tooltip).toEqual([
      'COLO: replicating (TCG, since 2026-11-26T01:00:00.000Z)',
      'primary on local, pid 4242: running, COLO mode primary, migration colo, QMP 4 ms',
      'secondary on lab-b, pid 4343: colo, COLO mode secondary, QMP 4 ms',
      'checkpoints: at least every 600 s; QEMU reports no checkpoint count or timing here',
    ]);
  });

  it('names a loopback secondary as the second QEMU of the same host in the tooltip', () => {
    const view = coloTreeView(ft, snapshotOf(pairStatus('replicating', {}, 'local')), undefined);
    expect(view.description).toBe('COLO: primary local · secondary local · colo/primary');
    expect(view.tooltip[2]).toMatch(/^secondary on local \(second QEMU\), pid 4343:/);
  });

  it('shows the memory syncs where QEMU reports them, as the closest thing to a checkpoint count', () => {
    const primary = side('primary', 'local', { facts: { mode: 'primary', lastMode: 'none', reason: 'none', migrationStatus: 'colo', dirtySyncCount: 7, transferredBytes: 1 } });
    const view = coloTreeView(ft, snapshotOf(pairStatus('replicating', { primary })), undefined);
    expect(view.tooltip).toContain('checkpoints: at least every 600 s; primary memory syncs 7 (QEMU counts no checkpoints; each one syncs once)');
  });

  it('shows a failover: to whom in the description, why and how long in the tooltip', () => {
    const status = pairStatus('failed-over', {
      primary: side('primary', 'local', { alive: false, qmp: 'dead', pid: undefined, facts: undefined }),
      secondary: side('secondary', 'lab-b', { facts: { mode: 'none', lastMode: 'secondary', reason: 'request', migrationStatus: undefined, dirtySyncCount: undefined, transferredBytes: undefined } }),
      lastFailover: { survivor: 'secondary', reason: 'command', at: '2026-11-26T01:05:00.123Z', durationMs: 120 },
    });
    const view = coloTreeView(ft, snapshotOf(status, { primary: undefined, secondary: 'running' }), undefined);
    expect(view.description).toBe('COLO: failed over to lab-b (secondary)');
    expect(view.tooltip).toContain('primary on local: not running');
    expect(view.tooltip).toContain('last failover: to the secondary on lab-b at 2026-11-26 01:05:00Z (on command; took 120 ms)');
    expect(view.tooltip.at(-1)).toBe('The guest runs on the secondary (lab-b) alone, without replication.');
  });

  it('words a heartbeat failover by its reason', () => {
    const status = pairStatus('failed-over', { lastFailover: { survivor: 'primary', reason: 'secondary-lost', at: '2026-11-26T01:05:00Z', durationMs: 1500 } });
    expect(coloTreeView(ft, snapshotOf(status), undefined).tooltip.join('\n')).toContain('to the primary on local at 2026-11-26 01:05:00Z (heartbeat: the secondary QEMU was gone; took 1500 ms)');
  });

  it('shows a hung primary with what to do', () => {
    const status = pairStatus('hung', { primary: side('primary', 'local', { qmp: 'unresponsive', responseMs: undefined, facts: undefined }) });
    const view = coloTreeView(ft, snapshotOf(status, { primary: undefined, secondary: 'colo' }), undefined);
    expect(view.description).toBe('COLO: primary hung (checkpoint)');
    expect(view.tooltip).toContain('primary on local, pid 4242: QMP does not answer');
    expect(view.tooltip.join('\n')).toMatch(/checkpoint hung.*Fail over to the secondary/);
  });

  it.each([
    ['primary-lost', 'COLO: primary lost, not failed over'],
    ['secondary-lost', 'COLO: secondary lost, primary alone'],
    ['stopped', 'COLO: pair stopped'],
  ] as const)('%s → %s', (state, description) => {
    expect(coloTreeView(ft, snapshotOf(pairStatus(state)), undefined).description).toBe(description);
  });
});
