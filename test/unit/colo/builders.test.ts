import { describe, expect, it } from 'vitest';
import { PRIMARY_IDS, primaryColoCommands, primaryColoRemovalCommands } from '../../../extension/core/colo/primary-objects';
import { checkProxyPlan, type ColoProxyPlan } from '../../../extension/core/colo/proxy-plan';
import { SECONDARY_IDS, secondaryNetFilters, secondaryTakeoverCommands } from '../../../extension/core/colo/secondary-args';
import { netFilterArgs } from '../../../extension/core/infrastructure/qemu/argv';

const plan: ColoProxyPlan = { primaryAddress: '10.0.0.1', ports: { mirror: 9003, secondaryIn: 9004, primaryIn: 9001, compareOut: 9005 }, netdev: 'net0' };

/** Every `host` a chardev of the builders binds or connects to. */
function hostsIn(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'host' && typeof inner === 'string') found.push(inner);
    else found.push(...hostsIn(inner));
  }
  return found;
}

describe('COLO primary objects (QMP, added to the running VM)', () => {
  const commands = primaryColoCommands(plan);

  it('adds the six chardevs first, each server before its client, then the filters and colo-compare', () => {
    expect(commands.map((c) => `${c.command} ${String(c.args.id)}`)).toEqual([
      'chardev-add colo-mirror',
      'chardev-add colo-sec-in',
      'chardev-add colo-pri-in',
      'chardev-add colo-pri-in-c',
      'chardev-add colo-out',
      'chardev-add colo-out-c',
      'object-add colo-m0',
      'object-add colo-redire0',
      'object-add colo-redire1',
      'object-add colo-iothread',
      'object-add colo-comp0',
    ]);
  });

  it('listens for the secondary on the primary address only, and on loopback for itself — never a wildcard', () => {
    expect(commands[0]?.args).toEqual({
      id: 'colo-mirror',
      backend: { type: 'socket', data: { addr: { type: 'inet', data: { host: '10.0.0.1', port: '9003' } }, server: true, wait: false } },
    });
    expect(new Set(hostsIn(commands))).toEqual(new Set(['10.0.0.1', '127.0.0.1']));
    expect(JSON.stringify(commands)).not.toMatch(/0\.0\.0\.0|"::"/);
  });

  it('wires the filters as QEMU docs do: mirror tx out, redirector rx in from compare, rx out to compare', () => {
    const byId = new Map(commands.map((c) => [c.args.id, c.args]));
    expect(byId.get(PRIMARY_IDS.mirror)).toEqual({ 'qom-type': 'filter-mirror', id: 'colo-m0', netdev: 'net0', queue: 'tx', outdev: 'colo-mirror' });
    expect(byId.get(PRIMARY_IDS.redirectorIn)).toMatchObject({ 'qom-type': 'filter-redirector', queue: 'rx', indev: 'colo-out' });
    expect(byId.get(PRIMARY_IDS.redirectorOut)).toMatchObject({ 'qom-type': 'filter-redirector', queue: 'rx', outdev: 'colo-pri-in' });
    expect(byId.get(PRIMARY_IDS.compare)).toEqual({
      'qom-type': 'colo-compare',
      id: 'colo-comp0',
      primary_in: 'colo-pri-in-c',
      secondary_in: 'colo-sec-in',
      outdev: 'colo-out-c',
      iothread: 'colo-iothread',
    });
  });

  it('removes colo-compare and its iothread before the filters, then the chardevs', () => {
    expect(primaryColoRemovalCommands().map((c) => `${c.command} ${String(c.args.id)}`)).toEqual([
      'object-del colo-comp0',
      'object-del colo-iothread',
      'object-del colo-m0',
      'object-del colo-redire0',
      'object-del colo-redire1',
      'chardev-remove colo-out-c',
      'chardev-remove colo-out',
      'chardev-remove colo-pri-in-c',
      'chardev-remove colo-pri-in',
      'chardev-remove colo-sec-in',
      'chardev-remove colo-mirror',
    ]);
  });
});

describe('COLO secondary argv', () => {
  it('connects to the primary address, reconnecting, and adds the redirectors and the rewriter (QEMU 7.2)', () => {
    expect(netFilterArgs(secondaryNetFilters(plan, 7))).toEqual([
      '-chardev',
      'socket,id=colo-red0,host=10.0.0.1,port=9003,reconnect=1',
      '-chardev',
      'socket,id=colo-red1,host=10.0.0.1,port=9004,reconnect=1',
      '-object',
      'filter-redirector,id=colo-f1,netdev=net0,queue=tx,indev=colo-red0',
      '-object',
      'filter-redirector,id=colo-f2,netdev=net0,queue=rx,outdev=colo-red1',
      '-object',
      'filter-rewriter,id=colo-rew0,netdev=net0,queue=all',
    ]);
  });

  it('uses reconnect-ms from QEMU 10 on', () => {
    const args = netFilterArgs(secondaryNetFilters(plan, 10));
    expect(args.filter((a) => a.includes('reconnect'))).toEqual([
      'socket,id=colo-red0,host=10.0.0.1,port=9003,reconnect-ms=1000',
      'socket,id=colo-red1,host=10.0.0.1,port=9004,reconnect-ms=1000',
    ]);
  });

  it('takes over as QEMU docs say: lost heartbeat first, then the redirectors and their chardevs; the rewriter stays', () => {
    expect(secondaryTakeoverCommands()).toEqual([
      { command: 'x-colo-lost-heartbeat' },
      { command: 'object-del', args: { id: SECONDARY_IDS.toPrimary } },
      { command: 'object-del', args: { id: SECONDARY_IDS.fromPrimary } },
      { command: 'chardev-remove', args: { id: SECONDARY_IDS.compareChardev } },
      { command: 'chardev-remove', args: { id: SECONDARY_IDS.mirrorChardev } },
    ]);
  });
});

describe('COLO proxy plan checks', () => {
  it.each([
    ['a wildcard IPv4 address', { ...plan, primaryAddress: '0.0.0.0' }, /wildcard/],
    ['a wildcard IPv6 address', { ...plan, primaryAddress: '::' }, /wildcard/],
    ['a host name', { ...plan, primaryAddress: 'lab-a' }, /Not an IP address/],
    ['an option smuggled in the address', { ...plan, primaryAddress: '10.0.0.1,server=on' }, /Not an IP address/],
    ['a port out of range', { ...plan, ports: { ...plan.ports, mirror: 70_000 } }, /Not a TCP port/],
    ['two equal ports', { ...plan, ports: { ...plan.ports, mirror: 9004 } }, /must differ/],
    ['a netdev id with a comma', { ...plan, netdev: 'net0,queue=all' }, /Not a netdev id/],
  ])('refuses %s', (_name, bad, message) => {
    expect(() => checkProxyPlan(bad)).toThrow(message);
    expect(() => primaryColoCommands(bad)).toThrow(message);
    expect(() => secondaryNetFilters(bad, 7)).toThrow(message);
  });
});
