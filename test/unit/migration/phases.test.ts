import { describe, expect, it } from 'vitest';
import { canCancel, MigrationStateMachine, nextPhase, type MigrationPhase } from '../../../extension/core/migration/phases';

describe('migration phases', () => {
  it('go begin → prepare → perform → finish → confirm → done when every step succeeds', () => {
    const seen: MigrationPhase[] = [];
    const machine = new MigrationStateMachine((p) => seen.push(p));
    for (let i = 0; i < 5; i += 1) machine.advance('ok');
    expect(seen).toEqual(['begin', 'prepare', 'perform', 'finish', 'confirm', 'done']);
    expect(machine.phase).toBe('done');
  });

  it('go through copy between prepare and perform when the migration copies a disk, and only then', () => {
    const seen: MigrationPhase[] = [];
    const machine = new MigrationStateMachine((p) => seen.push(p));
    machine.advance('ok');
    machine.copiesDisk = true;
    for (let i = 0; i < 5; i += 1) machine.advance('ok');
    expect(seen).toEqual(['begin', 'prepare', 'copy', 'perform', 'finish', 'confirm', 'done']);
    expect(nextPhase('prepare', 'ok')).toBe('perform');
    expect(nextPhase('prepare', 'ok', true)).toBe('copy');
    expect(nextPhase('copy', 'ok', true)).toBe('perform');
    expect(canCancel('copy', undefined)).toBe(true);
  });

  it('end at once when begin fails or is cancelled: nothing was started, nothing to roll back', () => {
    expect(nextPhase('begin', 'failed')).toBe('failed');
    expect(nextPhase('begin', 'cancelled')).toBe('cancelled');
  });

  it.each(['prepare', 'copy', 'perform', 'finish'] as const)('roll back when %s fails or is cancelled, then end as failed or cancelled', (step) => {
    expect(nextPhase(step, 'failed')).toBe('rollback');
    expect(nextPhase(step, 'cancelled')).toBe('rollback');
    expect(nextPhase('rollback', 'failed')).toBe('failed');
    expect(nextPhase('rollback', 'cancelled')).toBe('cancelled');
  });

  it('never roll back a confirm: the guest already runs on the destination', () => {
    expect(nextPhase('confirm', 'failed')).toBe('done');
    expect(nextPhase('confirm', 'ok')).toBe('done');
  });

  it('refuse to go on from a final phase, and a rollback that ends ok', () => {
    expect(() => nextPhase('done', 'ok')).toThrow(/over/);
    expect(() => nextPhase('failed', 'ok')).toThrow();
    expect(() => nextPhase('rollback', 'ok')).toThrow(/never ok/);
  });

  it('remember why the rollback began, whatever the rollback step reports', () => {
    const seen: MigrationPhase[] = [];
    const machine = new MigrationStateMachine((p) => seen.push(p));
    machine.advance('ok'); // begin
    machine.advance('ok'); // prepare
    machine.advance('cancelled'); // perform, by Ctrl-C
    expect(machine.phase).toBe('rollback');
    expect(machine.cause).toBe('cancelled');
    machine.advance('failed'); // the rollback step's own outcome does not change the cause
    expect(seen).toEqual(['begin', 'prepare', 'perform', 'rollback', 'cancelled']);
  });

  it('time each phase', () => {
    let now = 1000;
    const machine = new MigrationStateMachine(undefined, () => now);
    now += 10;
    machine.advance('ok');
    now += 200;
    machine.advance('failed');
    now += 30;
    machine.advance('failed');
    expect(machine.durations()).toEqual({ begin: 10, prepare: 200, rollback: 30 });
    expect(machine.history.map((h) => [h.phase, h.startMs, h.endMs])).toEqual([
      ['begin', 0, 10],
      ['prepare', 10, 210],
      ['rollback', 210, 240],
      ['failed', 240, 240],
    ]);
  });

  it('let a cancel through until the switch-over, not after', () => {
    expect(canCancel('begin', undefined)).toBe(true);
    expect(canCancel('prepare', undefined)).toBe(true);
    expect(canCancel('perform', 'setup')).toBe(true);
    expect(canCancel('perform', 'active')).toBe(true);
    expect(canCancel('perform', 'postcopy-active')).toBe(false);
    expect(canCancel('perform', 'completed')).toBe(false);
    expect(canCancel('finish', undefined)).toBe(false);
    expect(canCancel('confirm', undefined)).toBe(false);
  });
});
