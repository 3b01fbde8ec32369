import { describe, expect, it } from 'vitest';
import { HostConnectionLostError, HostUnreachableError } from '../../../../extension/core/infrastructure/hosts/host-errors';
import type { HostState } from '../../../../extension/core/infrastructure/hosts/host';
import type { HostSpec } from '../../../../extension/core/lab/model';
import { hostConnectionView, UNREACHABLE_HOST_CONTEXT } from '../../../../extension/presentation/hosts/host-connection-view';
import { refollowOn } from '../../../../extension/presentation/tree/refollow';

const spec: Extract<HostSpec, { kind: 'ssh' }> = { name: 'lab-b', kind: 'ssh', address: '10.0.0.2', user: 'root', port: 2222, identity: undefined, span: undefined };
const at = new Date(2026, 0, 2, 3, 4, 5);

describe('hostConnectionView (an SSH host in the tree)', () => {
  it('shows the SSH target before any connection, and offers no Reconnect', () => {
    for (const state of [undefined, { kind: 'idle' } as const]) {
      const view = hostConnectionView('lab-b', spec, state);
      expect(view).toMatchObject({ description: 'ssh root@10.0.0.2:2222', reachable: true, contextValue: 'qemuLab.host.ssh', icon: { id: 'remote' } });
    }
    expect(hostConnectionView('lab-b', { ...spec, user: undefined, port: undefined }, undefined).description).toBe('ssh 10.0.0.2');
  });

  it('shows connecting (with the attempt after the first) and connected', () => {
    expect(hostConnectionView('lab-b', spec, { kind: 'connecting', attempt: 1 }).description).toBe('ssh root@10.0.0.2:2222 · connecting…');
    const retry = hostConnectionView('lab-b', spec, { kind: 'connecting', attempt: 2 });
    expect(retry.description).toMatch(/connecting \(attempt 2\)…$/);
    expect(retry.icon.id).toBe('loading~spin');
    const connected = hostConnectionView('lab-b', spec, { kind: 'connected', since: at });
    expect(connected).toMatchObject({ description: 'ssh root@10.0.0.2:2222 · connected', reachable: true, contextValue: 'qemuLab.host.ssh' });
    expect(connected.tooltip).toContain('since 03:04:05');
  });

  it('shows a dropped connection as unreachable, with the error and its hint as tooltip, and offers Reconnect', () => {
    const state: HostState = { kind: 'disconnected', reason: new HostConnectionLostError('10.0.0.2', undefined, 'the server ended the connection'), at };
    const view = hostConnectionView('lab-b', spec, state);
    expect(view.reachable).toBe(false);
    expect(view.contextValue).toBe(UNREACHABLE_HOST_CONTEXT);
    expect(view.description).toBe('ssh root@10.0.0.2:2222 · connection lost');
    expect(view.icon).toEqual({ id: 'debug-disconnect', color: 'charts.red' });
    expect(view.tooltip).toContain('Host "lab-b" is unreachable (connection lost at 03:04:05)');
    expect(view.tooltip).toContain('Lost the SSH connection to 10.0.0.2: the server ended the connection');
    expect(view.tooltip).toContain('The next operation on this host reconnects'); // The error's hint.
    expect(view.tooltip).toMatch(/VMs were not stopped/);
  });

  it('shows a failed attempt as unreachable too', () => {
    const state: HostState = { kind: 'unreachable', reason: new HostUnreachableError('10.0.0.2', 'connect ECONNREFUSED 10.0.0.2:2222'), at };
    const view = hostConnectionView('lab-b', spec, state);
    expect(view).toMatchObject({ description: 'ssh root@10.0.0.2:2222 · unreachable', reachable: false, contextValue: UNREACHABLE_HOST_CONTEXT });
    expect(view.tooltip).toContain('Cannot connect to 10.0.0.2: connect ECONNREFUSED 10.0.0.2:2222');
    expect(view.tooltip).toContain('Check that the host is up');
  });

  it('says closed once the transport is disposed (the editor is shutting down)', () => {
    expect(hostConnectionView('lab-b', spec, { kind: 'disposed' })).toMatchObject({ description: 'ssh root@10.0.0.2:2222 · closed', reachable: true });
  });
});

describe('refollowOn (follow a VM anew once its host is back)', () => {
  const connected: HostState = { kind: 'connected', since: at };
  it('re-follows a VM that lost its connection while the host is connected, once per connection', () => {
    expect(refollowOn('connection-lost', connected, undefined)).toBe(at);
    expect(refollowOn('connection-lost', connected, at)).toBeUndefined();
    const later = new Date(at.getTime() + 60_000);
    expect(refollowOn('connection-lost', { kind: 'connected', since: later }, at)).toBe(later);
  });

  it('leaves VMs alone while the host is down, on this machine, or not lost', () => {
    expect(refollowOn('connection-lost', { kind: 'unreachable', reason: new HostUnreachableError('h', 'x'), at }, undefined)).toBeUndefined();
    expect(refollowOn('connection-lost', undefined, undefined)).toBeUndefined();
    expect(refollowOn('running', connected, undefined)).toBeUndefined();
  });
});
