/**
 * The QMP commands that turn a running VM into a COLO primary: the proxy chardevs, then
 * filter-mirror, two filter-redirectors, an iothread and colo-compare, added to the running
 * QEMU (QEMU's docs add the same objects this way in "Primary resume replication"). Adding them
 * at run time, not on the command line, lets the VM boot and answer SSH as a plain VM first:
 * colo-compare holds every packet the guest sends until the secondary's copy arrives.
 */
import type { QmpObject } from '../infrastructure/qmp/messages';
import { checkProxyPlan, type ColoProxyPlan } from './proxy-plan';

/** One QMP command: its name and arguments. */
export interface QmpCommand {
  readonly command: string;
  readonly args: QmpObject;
}

/** The ids of what the primary gets, so failover and rollback remove exactly those. */
export const PRIMARY_IDS = {
  mirrorChardev: 'colo-mirror',
  secondaryInChardev: 'colo-sec-in',
  primaryInServer: 'colo-pri-in',
  primaryInClient: 'colo-pri-in-c',
  compareOutServer: 'colo-out',
  compareOutClient: 'colo-out-c',
  mirror: 'colo-m0',
  redirectorIn: 'colo-redire0',
  redirectorOut: 'colo-redire1',
  iothread: 'colo-iothread',
  compare: 'colo-comp0',
} as const;

function socketChardev(id: string, host: string, port: number, server: boolean): QmpCommand {
  // QMP's SocketAddress wants the port as a string.
  const data: QmpObject = server ? { addr: { type: 'inet', data: { host, port: String(port) } }, server: true, wait: false } : { addr: { type: 'inet', data: { host, port: String(port) } }, server: false };
  return { command: 'chardev-add', args: { id, backend: { type: 'socket', data } } };
}

function objectAdd(qomType: string, id: string, props: QmpObject): QmpCommand {
  // Since QEMU 6.0 object-add takes the properties flat, beside qom-type and id.
  return { command: 'object-add', args: { 'qom-type': qomType, id, ...props } };
}

/** The commands, in order (each server socket before the client that connects to it). */
export function primaryColoCommands(plan: ColoProxyPlan): QmpCommand[] {
  checkProxyPlan(plan);
  const ids = PRIMARY_IDS;
  const loopback = '127.0.0.1';
  return [
    socketChardev(ids.mirrorChardev, plan.primaryAddress, plan.ports.mirror, true),
    socketChardev(ids.secondaryInChardev, plan.primaryAddress, plan.ports.secondaryIn, true),
    socketChardev(ids.primaryInServer, loopback, plan.ports.primaryIn, true),
    socketChardev(ids.primaryInClient, loopback, plan.ports.primaryIn, false),
    socketChardev(ids.compareOutServer, loopback, plan.ports.compareOut, true),
    socketChardev(ids.compareOutClient, loopback, plan.ports.compareOut, false),
    objectAdd('filter-mirror', ids.mirror, { netdev: plan.netdev, queue: 'tx', outdev: ids.mirrorChardev }),
    objectAdd('filter-redirector', ids.redirectorIn, { netdev: plan.netdev, queue: 'rx', indev: ids.compareOutServer }),
    objectAdd('filter-redirector', ids.redirectorOut, { netdev: plan.netdev, queue: 'rx', outdev: ids.primaryInServer }),
    objectAdd('iothread', ids.iothread, {}),
    objectAdd('colo-compare', ids.compare, {
      primary_in: ids.primaryInClient,
      secondary_in: ids.secondaryInChardev,
      outdev: ids.compareOutClient,
      iothread: ids.iothread,
    }),
  ];
}

/**
 * Removes the primary's COLO objects, then its chardevs (QEMU's "Primary Failover" order:
 * colo-compare and its iothread first, then the filters). Each may fail when it was never
 * added; callers ignore those failures.
 */
export function primaryColoRemovalCommands(): QmpCommand[] {
  const ids = PRIMARY_IDS;
  const objects = [ids.compare, ids.iothread, ids.mirror, ids.redirectorIn, ids.redirectorOut].map((id) => ({ command: 'object-del', args: { id } }));
  const chardevs = [ids.compareOutClient, ids.compareOutServer, ids.primaryInClient, ids.primaryInServer, ids.secondaryInChardev, ids.mirrorChardev].map((id) => ({
    command: 'chardev-remove',
    args: { id },
  }));
  return [...objects, ...chardevs];
}
