/**
 * What the status bar says about QEMU Lab: the VMs that run, and the long work in progress (an
 * experiment, a live migration, a COLO pair coming up), worded the same way wherever it is shown.
 */

/** A piece of long work the editor started and follows until it ends. */
export interface WorkView {
  readonly id: number;
  readonly kind: 'experiment' | 'migration' | 'colo';
  /** What it is about: the experiment's or the VM's name. */
  readonly subject: string;
  /** Where it stands, short ("3/8 runs, ETA 2 min", "42 %"); empty when nothing is known yet. */
  readonly detail: string;
}

/** The VMs the tree follows, by state as the tree shows it. */
export interface VmCounts {
  /** Names of the VMs whose QEMU runs the guest (running or migrating). */
  readonly running: readonly string[];
  /** Names of the VMs whose guest is paused (or waits for an incoming migration). */
  readonly paused: readonly string[];
}

/** The status bar item's content; `hidden` when there is nothing to say. */
export type StatusBarView =
  | { readonly hidden: true }
  | {
      readonly hidden: false;
      /** With `$(icon)` names, as VS Code's status bar renders them. */
      readonly text: string;
      readonly tooltip: string;
      /** The work a click shows, when there is exactly one; else a click lists everything. */
      readonly revealWork: number | undefined;
    };

const KIND_WORDS: Record<WorkView['kind'], { readonly icon: string; readonly verb: string }> = {
  experiment: { icon: '$(beaker)', verb: 'Experiment' },
  migration: { icon: '$(arrow-swap)', verb: 'Migrating' },
  colo: { icon: '$(mirror)', verb: 'COLO pair' },
};

/** "Migrating vm1 · 42 %". */
export function workWords(work: WorkView): string {
  return `${KIND_WORDS[work.kind].verb} ${work.subject}${work.detail === '' ? '' : ` · ${work.detail}`}`;
}

function vmWords(count: number, what: string): string {
  return `${count} VM${count === 1 ? '' : 's'} ${what}`;
}

/**
 * The status bar: the newest work in progress first (with how many more there are), else the
 * running VMs; hidden when nothing runs. The tooltip lists everything, one line each.
 */
export function statusBarView(vms: VmCounts, work: readonly WorkView[]): StatusBarView {
  if (vms.running.length === 0 && vms.paused.length === 0 && work.length === 0) return { hidden: true };
  const lines: string[] = [];
  for (const item of work) lines.push(workWords(item));
  if (vms.running.length > 0) lines.push(`${vmWords(vms.running.length, 'running')}: ${vms.running.join(', ')}`);
  if (vms.paused.length > 0) lines.push(`${vmWords(vms.paused.length, 'paused')}: ${vms.paused.join(', ')}`);
  const tooltip = `QEMU Lab\n${lines.join('\n')}\nClick to show ${work.length === 1 ? 'it' : 'what runs'}.`;
  const newest = work.at(-1);
  if (newest !== undefined) {
    const more = work.length > 1 ? ` (+${work.length - 1})` : '';
    return { hidden: false, text: `${KIND_WORDS[newest.kind].icon} ${workWords(newest)}${more}`, tooltip, revealWork: work.length === 1 ? newest.id : undefined };
  }
  const parts = [vms.running.length > 0 ? vmWords(vms.running.length, 'running') : undefined, vms.paused.length > 0 ? `${vms.paused.length} paused` : undefined];
  return { hidden: false, text: `$(vm-running) ${parts.filter((p) => p !== undefined).join(', ')}`, tooltip, revealWork: undefined };
}

/** Counts VMs by the states the tree shows: running/migrating as running, paused/incoming as paused. */
export function countVms(vms: Iterable<{ readonly name: string; readonly state: string }>): VmCounts {
  const running: string[] = [];
  const paused: string[] = [];
  for (const vm of vms) {
    if (vm.state === 'running' || vm.state === 'migrating') running.push(vm.name);
    else if (vm.state === 'paused' || vm.state === 'incoming') paused.push(vm.name);
  }
  return { running: running.sort(), paused: paused.sort() };
}
