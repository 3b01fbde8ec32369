import { describe, expect, it } from 'vitest';
import type { ColoPairRecord } from '../../../extension/core/colo/pair-record';
import { refuseWhenBusy } from '../../../extension/core/snapshots/busy';
import { SnapshotBusyError, SnapshotError } from '../../../extension/core/snapshots/errors';
import { checkSnapshotName, timestampedName } from '../../../extension/core/snapshots/snapshot-name';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';

describe('snapshot names', () => {
  it('takes plain names and makes a timestamped one in UTC', () => {
    for (const name of ['before-upgrade', 'a', 'v1.2_x', 'snap-20261202-150405']) expect(checkSnapshotName(name)).toBe(name);
    expect(timestampedName(new Date('2026-12-02T15:04:05.678Z'))).toBe('snap-20261202-150405');
    expect(checkSnapshotName(timestampedName(new Date()))).toMatch(/^snap-\d{8}-\d{6}$/);
  });

  it('refuses all-digit names (QEMU would take them as another snapshot\'s id), options and hostile text', () => {
    for (const name of ['', '1', '42', '-rf', '.hidden', 'a b', 'x'.repeat(65), 'a/b', ...HOSTILE_STRINGS]) {
      if (/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/.test(name) && !/^\d+$/.test(name)) continue;
      expect(() => checkSnapshotName(name), JSON.stringify(name)).toThrow(SnapshotError);
    }
  });
});

describe('snapshots refused while the VM migrates or replicates', () => {
  const running = { status: 'running', running: true };
  it('lets an idle VM (no migration yet, or one that ended) through', () => {
    expect(() => refuseWhenBusy('vm1', running, {}, undefined)).not.toThrow();
    expect(() => refuseWhenBusy('vm1', { status: 'paused' }, { status: 'completed' }, undefined)).not.toThrow();
    expect(() => refuseWhenBusy('vm1', running, { status: 'failed' }, { state: 'failed-over' } as ColoPairRecord)).not.toThrow();
  });

  it('refuses during a migration (its state named), on a migration destination, and in a replicating COLO pair', () => {
    expect(() => refuseWhenBusy('vm1', running, { status: 'active' }, undefined)).toThrow(/migrating or replicating \(migration active\)/);
    expect(() => refuseWhenBusy('vm1', { status: 'inmigrate' }, {}, undefined)).toThrow(SnapshotBusyError);
    expect(() => refuseWhenBusy('vm1', { status: 'colo' }, { status: 'colo' }, undefined)).toThrow(SnapshotBusyError);
    expect(() => refuseWhenBusy('vm1', running, {}, { state: 'replicating' } as ColoPairRecord)).toThrow(/COLO pair/);
  });
});
