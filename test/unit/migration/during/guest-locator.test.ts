import { describe, expect, it } from 'vitest';
import type { HostSystem } from '../../../../extension/core/infrastructure/hosts/system/host-system';
import { GuestLocator } from '../../../../extension/core/migration/during/guest-locator';
import type { GuestPlace } from '../../../../extension/core/migration/during/target-shell';
import type { VmRecord } from '../../../../extension/core/machines/vm/vm-record';

const at = (host: string): GuestPlace => ({ record: { vmName: 'vm1', host } as VmRecord, system: { name: host } as HostSystem });

/** A guest that is wherever `where.now` says; counts the look-ups. */
function guest(where: { now: string | undefined }): { locator: GuestLocator; lookUps: () => number } {
  let count = 0;
  const locator = new GuestLocator(async () => {
    count += 1;
    return where.now === undefined ? undefined : at(where.now);
  });
  return { locator, lookUps: () => count };
}

describe("the guest's place for --during", () => {
  it('is looked up once while the guest stays put, however often it is asked', async () => {
    const { locator, lookUps } = guest({ now: 'lab-a' });
    const answers = await Promise.all([locator.place(), locator.place()]);
    for (let i = 0; i < 10; i += 1) answers.push(await locator.place());
    expect(answers.every((p) => p?.system.name === 'lab-a')).toBe(true);
    expect(lookUps()).toBe(1);
  });

  it('is looked up afresh while the guest moves, and once more after', async () => {
    const where = { now: 'lab-a' as string | undefined };
    const { locator, lookUps } = guest(where);
    await locator.place();
    locator.moving(true);
    expect(locator.isMoving).toBe(true);
    where.now = undefined; // mid switch-over
    expect(await locator.place()).toBeUndefined();
    where.now = 'lab-b';
    expect((await locator.place())?.system.name).toBe('lab-b');
    expect(lookUps()).toBe(3);
    locator.moving(false);
    expect((await locator.place())?.system.name).toBe('lab-b');
    expect((await locator.place())?.system.name).toBe('lab-b');
    expect(lookUps()).toBe(4);
  });

  it('does not keep "not running": a guest not found is asked about again', async () => {
    const where = { now: undefined as string | undefined };
    const { locator, lookUps } = guest(where);
    expect(await locator.place()).toBeUndefined();
    where.now = 'lab-a';
    expect((await locator.place())?.system.name).toBe('lab-a');
    expect(lookUps()).toBe(2);
  });
});
