import type { ColoPairState, ColoPairStatus, ColoSideStatus } from '../../../../extension/core/colo/pair-status';
import { parseSideFacts } from '../../../../extension/core/colo/side-status';
import type { ColoSnapshot } from '../../../../extension/presentation/colo/colo-snapshot';
import type { ColoPairRecord } from '../../../../extension/core/colo/pair-record';

const QEMU = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)';

/** A side as `pairStatus` reports it: alive and answering by default, in COLO. */
export function side(role: 'primary' | 'secondary', host: string, over: Partial<ColoSideStatus> = {}): ColoSideStatus {
  return {
    role,
    host,
    slot: role === 'secondary' ? 'colo-secondary' : undefined,
    pid: role === 'primary' ? 4242 : 4343,
    alive: true,
    qmp: 'ok',
    responseMs: 4,
    facts: parseSideFacts({ mode: role, 'last-mode': 'none', reason: 'none' }, role === 'primary' ? { status: 'colo', ram: { transferred: 290_000_000 } } : {}),
    qemu: QEMU,
    ssh: { host: '127.0.0.1', port: role === 'primary' ? 2222 : 2223 },
    ...over,
  };
}

/** A pair status of VM vm1, primary on local, secondary on `secondaryHost`. */
export function pairStatus(state: ColoPairState, over: Partial<ColoPairStatus> = {}, secondaryHost = 'lab-b'): ColoPairStatus {
  return {
    vm: 'vm1',
    state,
    primary: side('primary', 'local'),
    secondary: side('secondary', secondaryHost),
    checkpointDelayMs: 600_000,
    accel: 'tcg',
    startedAt: '2026-11-26T01:00:00.000Z',
    lastFailover: undefined,
    disk: undefined,
    ...over,
  };
}

/** A reading of that pair. */
export function snapshotOf(status: ColoPairStatus, runStates = { primary: 'running' as string | undefined, secondary: 'colo' as string | undefined }): ColoSnapshot {
  return { kind: 'pair', status, runStates, readAt: '2026-11-26T01:02:03.456Z' };
}

/** A replicating pair's record: primary on this machine, secondary on lab-b. */
export const pairRecord: ColoPairRecord = {
  version: 1,
  labPath: '/lab/qemu-lab.yaml',
  vmName: 'vm1',
  primary: { host: 'local' },
  secondary: { host: 'lab-b', slot: 'colo-secondary' },
  plan: { primaryAddress: '10.0.0.1', ports: { mirror: 1, secondaryIn: 2, primaryIn: 3, compareOut: 4 }, netdev: 'net0' },
  migrationUri: 'tcp:10.0.0.2:5000',
  checkpointDelayMs: 2000,
  qemu: { primary: 'QEMU emulator version 7.2.22', secondary: 'QEMU emulator version 7.2.22' },
  accel: 'tcg',
  startedAt: '2026-11-26T00:00:00.000Z',
  state: 'replicating',
};
