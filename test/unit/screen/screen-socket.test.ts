import { describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import { screenSocketOf } from '../../../extension/core/machines/screen/screen-socket';
import { runFilesIn } from '../../../extension/core/machines/vm/run-dir';

const files = runFilesIn('/state/vms/abc-vm1', { vnc: true });
const record = (vncSocket: string | undefined) => ({ vmName: 'vm1', files: { ...files, vncSocket } });

describe('screenSocketOf: the only socket a screen relay opens', () => {
  it('is vnc.sock of the VM\'s own run directory, as the boot made it', () => {
    expect(screenSocketOf(record(files.vncSocket))).toBe('/state/vms/abc-vm1/vnc.sock');
  });

  it('says how to give a VM a screen when it was booted without one', () => {
    const error = (() => {
      try {
        screenSocketOf(record(undefined));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).message).toBe('vm1 has no screen: it was booted without a display.');
    expect((error as VmError).hint).toMatch(/vnc: true.*boot it again/);
  });

  it.each([
    ['another VM\'s socket', '/state/vms/abc-vm2/vnc.sock'],
    ['a way out of the run directory', '/state/vms/abc-vm1/../abc-vm2/vnc.sock'],
    ['another socket of the same VM', '/state/vms/abc-vm1/qmp.sock'],
    ['a relative path', 'state/vms/abc-vm1/vnc.sock'],
    ['a doubled slash', '/state/vms/abc-vm1//vnc.sock'],
    ['a system socket', '/run/systemd/private'],
  ])('refuses %s in the state record', (_, path) => {
    expect(() => screenSocketOf(record(path))).toThrow(/is not \/state\/vms\/abc-vm1\/vnc\.sock/);
  });
});
