import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVmRecord } from '../../../extension/core/machines/vm/vm-record';
import { expectParsedOrRefused, mutated, withReplacedField } from '../../support/fuzz';

// vm.json sits in a state directory another process or user may have written. The reader throws
// nothing outside the error tree, returns a record only for a version-1 object, and that record holds no NaN or
// infinite number. (Schema checks of each field are tested with the record schema itself.)
const RECORD = {
  version: 1,
  labPath: '/lab/qemu-lab.yaml',
  vmName: 'vm1',
  host: 'local',
  qemuBinary: 'qemu-system-x86_64',
  argv: ['-machine', 'q35', '-m', '512M'],
  accel: 'tcg',
  accelWhy: 'accel: tcg',
  nic: 'virtio',
  network: 'user',
  ssh: { host: '127.0.0.1', port: 2222, user: 'lab', privateKey: '/run/vm1/id', knownHostsFile: '/run/vm1/known_hosts', hostKeyAlias: 'vm1' },
  forwardedPorts: { '22': 2222, '5201': 40001 },
  files: { runDir: '/run/vm1', qmpSocket: '/run/vm1/qmp.sock', pidFile: '/run/vm1/qemu.pid', serialLog: '/run/vm1/serial.log', stderrLog: '/run/vm1/stderr.log' },
  readyMarker: 'login:',
  startedAt: '2026-01-01T00:00:00.000Z',
};

describe('state record reader on hostile vm.json', () => {
  it('throws only errors of the tree; a record only for version 1, with finite numbers', { timeout: 60_000 }, () => {
    const texts = fc.oneof(
      withReplacedField(RECORD),
      mutated([JSON.stringify(RECORD), JSON.stringify(RECORD, null, 2)], 8),
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const record = expectParsedOrRefused(() => parseVmRecord(text, { where: '/run/vm1/vm.json', runDir: '/run/vm1' }));
        if (record !== undefined) expect(record.version).toBe(1);
      }),
      { numRuns: 1500 },
    );
  });
});
