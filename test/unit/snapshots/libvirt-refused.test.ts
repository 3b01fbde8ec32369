import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import type { HostVmBackend, VmInstance } from '../../../extension/core/machines/vm/backend';
import type { VmRecord } from '../../../extension/core/machines/vm/vm-record';
import { SnapshotUnsupportedError } from '../../../extension/core/snapshots/errors';
import { withSnapshotSubject } from '../../../extension/core/snapshots/snapshot-vm';

describe('snapshots of a VM on a libvirt host', () => {
  it('are refused with what to use instead, before any monitor is opened', async () => {
    const { lab } = parseLabText('hosts:\n  lv: { kind: libvirt, uri: "qemu:///system" }\nvms:\n  vm1: { host: lv }\n', '/labs/l.yaml');
    if (lab === undefined) throw new Error('the lab did not parse');
    let opened = false;
    // Only the monitor is reached for; anything else would be a different path.
    const backend = { connectQmp: () => ((opened = true), Promise.resolve()) } as unknown as HostVmBackend;
    const instance: VmInstance = { record: { vmName: 'vm1', host: 'lv' } as VmRecord, pid: undefined, alive: true };
    const outcome = await withSnapshotSubject({ lab, backend, stateRoot: undefined }, instance, () => Promise.resolve('used')).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(SnapshotUnsupportedError);
    expect((outcome as Error).message).toBe('VM "vm1" runs on libvirt host "lv": QEMU Lab takes no snapshots on libvirt hosts yet.');
    expect((outcome as SnapshotUnsupportedError).hint).toContain('run the VM on a local or SSH host (kind: local or kind: ssh)');
    expect(opened).toBe(false);
  });
});
