import { describe, expect, it } from 'vitest';
import {
  primaryDisk,
  primaryDiskFailoverCommands,
  primaryReplicationCommands,
  primaryResyncCommand,
  secondaryDisk,
  secondaryDiskTakeoverCommands,
  secondaryNbdCommands,
} from '../../../extension/core/colo/disk-args';
import { diskArgs } from '../../../extension/core/infrastructure/qemu/argv';

describe('COLO disk: command lines', () => {
  it('gives the primary a quorum over its image on virtio-blk, commas in the path doubled', () => {
    expect(diskArgs(primaryDisk('/labs/a,b/data.qcow2', 'qcow2'))).toEqual([
      '-drive',
      'if=none,id=colo-disk0,driver=quorum,read-pattern=fifo,vote-threshold=1,children.0.file.filename=/labs/a,,b/data.qcow2,children.0.driver=qcow2',
      '-device',
      'virtio-blk-pci,drive=colo-disk0',
    ]);
  });

  it('gives the secondary parent0, the replication child over active and hidden, and the quorum, as QEMU docs do', () => {
    expect(diskArgs(secondaryDisk({ parent: '/run/p.qcow2', active: '/run/a.qcow2', hidden: '/run/h.qcow2' }))).toEqual([
      '-drive',
      'if=none,id=parent0,file.filename=/run/p.qcow2,driver=qcow2',
      '-drive',
      'if=none,id=childs0,driver=replication,mode=secondary,file.driver=qcow2,top-id=colo-disk0,file.file.filename=/run/a.qcow2,file.backing.driver=qcow2,file.backing.file.filename=/run/h.qcow2,file.backing.backing=parent0',
      '-drive',
      'if=none,id=colo-disk0,driver=quorum,read-pattern=fifo,vote-threshold=1,children.0=childs0',
      '-device',
      'virtio-blk-pci,drive=colo-disk0',
    ]);
  });
});

describe('COLO disk: QMP', () => {
  it('exports parent0 writable on the secondary’s own address, never a wildcard', () => {
    expect(secondaryNbdCommands('10.0.0.2', 10809)).toEqual([
      { command: 'nbd-server-start', args: { addr: { type: 'inet', data: { host: '10.0.0.2', port: '10809' } } } },
      { command: 'nbd-server-add', args: { device: 'parent0', writable: true } },
    ]);
  });

  it('copies the primary disk over NBD, then adds the replication child to the quorum', () => {
    expect(primaryResyncCommand('10.0.0.2', 10809)).toEqual({
      command: 'drive-mirror',
      args: { device: 'colo-disk0', 'job-id': 'colo-resync', target: 'nbd://10.0.0.2:10809/parent0', mode: 'existing', format: 'raw', sync: 'full' },
    });
    expect(primaryReplicationCommands('10.0.0.2', 10809)).toEqual([
      {
        command: 'human-monitor-command',
        args: { 'command-line': 'drive_add -n buddy driver=replication,mode=primary,file.driver=nbd,file.host=10.0.0.2,file.port=10809,file.export=parent0,node-name=replication0' },
      },
      { command: 'x-blockdev-change', args: { parent: 'colo-disk0', node: 'replication0' } },
    ]);
  });

  it.each(['0.0.0.0', '0.0.0.0,x', 'lab-b', '::1', '10.0.0.2 drive_del x'])('refuses %s as the NBD address (it reaches an HMP line)', (address) => {
    expect(() => secondaryNbdCommands(address, 1)).toThrow(RangeError);
    expect(() => primaryResyncCommand(address, 1)).toThrow(RangeError);
    expect(() => primaryReplicationCommands(address, 1)).toThrow(RangeError);
  });

  it('fails over as QEMU docs say: the secondary stops NBD first; the primary drops the replication child', () => {
    expect(secondaryDiskTakeoverCommands()).toEqual([{ command: 'nbd-server-stop' }]);
    expect(primaryDiskFailoverCommands()).toEqual([
      { command: 'x-blockdev-change', args: { parent: 'colo-disk0', child: 'children.1' } },
      { command: 'human-monitor-command', args: { 'command-line': 'drive_del replication0' } },
    ]);
  });
});
