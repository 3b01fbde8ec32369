/**
 * The launch-plan additions of a COLO secondary: two chardevs that connect to the primary's
 * proxy sockets (reconnecting, as the primary may not listen yet), the filter-redirectors that
 * feed the primary's incoming packets to this guest and send this guest's packets back for
 * comparison, and filter-rewriter, which keeps TCP sequence numbers in step.
 */
import { chardevReconnectForVersion } from '../infrastructure/qemu/qemu-capabilities';
import type { NetFilterParts } from '../infrastructure/qemu/launch-plan';
import { checkProxyPlan, type ColoProxyPlan } from './proxy-plan';

/** The ids of what the secondary gets, so failover removes exactly those. */
export const SECONDARY_IDS = {
  mirrorChardev: 'colo-red0',
  compareChardev: 'colo-red1',
  fromPrimary: 'colo-f1',
  toPrimary: 'colo-f2',
  rewriter: 'colo-rew0',
} as const;

/**
 * The chardevs and filters of the secondary's launch plan (it also gets `-incoming defer`).
 * `qemuMajor` picks the reconnect option: `reconnect` (seconds) before QEMU 9.2 — which has no
 * `reconnect-ms` — and `reconnect-ms` from QEMU 10 on (`reconnect` is deprecated there).
 */
export function secondaryNetFilters(plan: ColoProxyPlan, qemuMajor: number): NetFilterParts {
  checkProxyPlan(plan);
  const ids = SECONDARY_IDS;
  const reconnect = chardevReconnectForVersion({ major: qemuMajor, minor: 0 }) === 'reconnect-ms' ? ({ unit: 'ms', value: 1000 } as const) : ({ unit: 's', value: 1 } as const);
  const host = plan.primaryAddress;
  const netdev = plan.netdev;
  return {
    chardevs: [
      { id: ids.mirrorChardev, host, port: plan.ports.mirror, reconnect },
      { id: ids.compareChardev, host, port: plan.ports.secondaryIn, reconnect },
    ],
    filters: [
      { kind: 'filter-redirector', id: ids.fromPrimary, netdev, queue: 'tx', indev: ids.mirrorChardev },
      { kind: 'filter-redirector', id: ids.toPrimary, netdev, queue: 'rx', outdev: ids.compareChardev },
      { kind: 'filter-rewriter', id: ids.rewriter, netdev, queue: 'all' },
    ],
  };
}

/**
 * "Secondary Failover" from QEMU's docs (diskless: no NBD server to stop): leave COLO, then take
 * away the redirectors and their chardevs so the guest's network is its own. The rewriter stays,
 * as the docs keep it (it goes on fixing sequence numbers of connections that began under COLO).
 */
export function secondaryTakeoverCommands(): { command: string; args?: Record<string, string> }[] {
  const ids = SECONDARY_IDS;
  return [
    { command: 'x-colo-lost-heartbeat' },
    { command: 'object-del', args: { id: ids.toPrimary } },
    { command: 'object-del', args: { id: ids.fromPrimary } },
    { command: 'chardev-remove', args: { id: ids.compareChardev } },
    { command: 'chardev-remove', args: { id: ids.mirrorChardev } },
  ];
}
