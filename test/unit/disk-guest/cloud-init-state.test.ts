import { describe, expect, it } from 'vitest';
import { cloudInitStateOf, isDiskGuest, usesCloudInit } from '../../../extension/core/machines/disk-guest/cloud-init-state';
import type { VmRecord } from '../../../extension/core/machines/vm/vm-record';
import { vmSpec } from '../../support/vm-spec';

const files = { seed: '/s/labs/abc/seeds/vm1.iso', labKey: '/s/labs/abc/guest-ssh/id_ed25519' };
const image = vmSpec({ image: '/img/debian-12.qcow2', login: { kind: 'cloud-init', user: 'debian' } });

function recordWithKey(privateKey: string): Pick<VmRecord, 'ssh'> {
  return { ssh: { host: '127.0.0.1', port: 2222, user: 'debian', privateKey, knownHostsFile: '/k', hostKeyAlias: 'a' } };
}

describe('cloud-init state of a disk guest', () => {
  it('is off for cloudInit: false and for a blank disk', () => {
    expect(cloudInitStateOf(vmSpec({ image: '/img/a.qcow2', login: { kind: 'manual', user: 'u', identity: '/k' } }), files, true, undefined)).toEqual({ kind: 'disabled', why: 'cloud-init-off' });
    expect(cloudInitStateOf(vmSpec({ image: '/img/a.qcow2' }), files, true, undefined)).toEqual({ kind: 'disabled', why: 'cloud-init-off' });
    expect(cloudInitStateOf(vmSpec({ image: 'blank', diskBytes: 1 }), files, false, undefined)).toEqual({ kind: 'disabled', why: 'blank-disk' });
  });

  it('has no seed before the first boot, and the seed after', () => {
    expect(cloudInitStateOf(image, files, false, undefined)).toEqual({ kind: 'no-seed', seed: files.seed });
    expect(cloudInitStateOf(image, files, true, undefined)).toEqual({ kind: 'seed-attached', seed: files.seed, labKeyLogin: false });
  });

  it('logs in with the lab key only when the record uses that very key', () => {
    expect(cloudInitStateOf(image, files, true, recordWithKey(files.labKey))).toMatchObject({ labKeyLogin: true });
    expect(cloudInitStateOf(image, files, true, recordWithKey('/home/u/.ssh/id_ed25519'))).toMatchObject({ labKeyLogin: false });
  });

  it('knows disk guests and which use cloud-init', () => {
    expect(isDiskGuest(vmSpec())).toBe(false);
    expect(isDiskGuest(image)).toBe(true);
    expect(usesCloudInit(image)).toBe(true);
    expect(usesCloudInit(vmSpec({ image: 'blank', diskBytes: 1, login: { kind: 'cloud-init', user: 'x' } }))).toBe(false);
  });
});
