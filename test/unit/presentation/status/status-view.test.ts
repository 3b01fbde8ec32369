import { describe, expect, it } from 'vitest';
import { countVms, statusBarView, type WorkView } from '../../../../extension/presentation/status/status-view';

const none = { running: [], paused: [] };

describe('the status bar view', () => {
  it('hides when no VM runs and no work is in progress', () => {
    expect(statusBarView(none, [])).toEqual({ hidden: true });
  });

  it('counts running and paused VMs, names them in the tooltip, and a click lists them', () => {
    const view = statusBarView({ running: ['vm1', 'vm2'], paused: ['vm3'] }, []);
    expect(view).toMatchObject({ hidden: false, text: '$(vm-running) 2 VMs running, 1 paused', revealWork: undefined });
    if (view.hidden) throw new Error('shown');
    expect(view.tooltip).toContain('2 VMs running: vm1, vm2');
    expect(view.tooltip).toContain('1 VM paused: vm3');
  });

  it('shows one piece of work with where it stands, and a click reveals it', () => {
    const work: WorkView[] = [{ id: 7, kind: 'migration', subject: 'vm1', detail: 'to lab-b · 12 MiB left' }];
    expect(statusBarView({ running: ['vm1'], paused: [] }, work)).toMatchObject({ text: '$(arrow-swap) Migrating vm1 · to lab-b · 12 MiB left', revealWork: 7 });
  });

  it('shows the newest of several works with how many more, and a click lists them all', () => {
    const work: WorkView[] = [
      { id: 1, kind: 'experiment', subject: 'kvm-vs-tcg', detail: '3/8, ETA 2 min' },
      { id: 2, kind: 'colo', subject: 'vm2', detail: '' },
    ];
    const view = statusBarView(none, work);
    expect(view).toMatchObject({ text: '$(mirror) COLO pair vm2 (+1)', revealWork: undefined });
    if (view.hidden) throw new Error('shown');
    expect(view.tooltip).toContain('Experiment kvm-vs-tcg · 3/8, ETA 2 min');
  });
});

describe('counting VMs by state', () => {
  it('takes migrating as running and incoming as paused; stopped and lost ones are not counted', () => {
    const counts = countVms([
      { name: 'b', state: 'running' },
      { name: 'a', state: 'migrating' },
      { name: 'c', state: 'paused' },
      { name: 'd', state: 'incoming' },
      { name: 'e', state: 'stopped' },
      { name: 'f', state: 'connection-lost' },
    ]);
    expect(counts).toEqual({ running: ['a', 'b'], paused: ['c', 'd'] });
  });
});
