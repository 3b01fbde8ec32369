import { describe, expect, it } from 'vitest';
import { describeShutdown, stateAfterEvent, stateFromRunState } from '../../../extension/core/machines/vm/vm-state';

describe('stateFromRunState', () => {
  it.each([
    ['running', 'running'],
    ['paused', 'paused'],
    ['inmigrate', 'incoming'],
    ['postmigrate', 'paused'],
    ['finish-migrate', 'migrating'],
    ['guest-panicked', 'error'],
    ['something-new', 'error'],
  ])('%s → %s', (status, state) => {
    expect(stateFromRunState(status)).toBe(state);
  });
});

describe('stateAfterEvent', () => {
  it('follows pause and resume', () => {
    expect(stateAfterEvent('running', 'STOP')).toBe('paused');
    expect(stateAfterEvent('paused', 'RESUME')).toBe('running');
  });
  it('follows an ACPI power-down to the end', () => {
    const requested = stateAfterEvent('running', 'POWERDOWN');
    expect(requested).toBe('powering-down');
    expect(stateAfterEvent(requested, 'SHUTDOWN')).toBe('stopped');
  });
  it('keeps migrating through the STOP at switch-over, and returns to running when it fails', () => {
    const migrating = stateAfterEvent('running', 'MIGRATION', { status: 'active' });
    expect(stateAfterEvent(migrating, 'STOP')).toBe('migrating');
    expect(stateAfterEvent(migrating, 'MIGRATION', { status: 'failed' })).toBe('running');
  });
  it('ignores events that do not change the state', () => {
    expect(stateAfterEvent('paused', 'NIC_RX_FILTER_CHANGED')).toBe('paused');
  });
});

describe('describeShutdown', () => {
  it('explains the causes QEMU sends', () => {
    expect(describeShutdown('guest-shutdown')).toBe('The guest powered off.');
    expect(describeShutdown('host-qmp-quit')).toMatch(/QMP quit/);
    expect(describeShutdown('new-cause')).toBe('QEMU shut down (new-cause).');
    expect(describeShutdown(undefined)).toBe('QEMU shut down.');
  });
});
