import { describe, expect, it } from 'vitest';
import { ColoCheckpointHungError, ColoError, ColoNotReplicatingError } from '../../../extension/core/colo/errors';
import { StateTrustError } from '../../../extension/core/infrastructure/files/private-state';
import { parsePairRecord, pairRecordPath, type ColoPairRecord } from '../../../extension/core/colo/pair-record';
import { judgePair, type ColoSideStatus } from '../../../extension/core/colo/pair-status';
import { parseSideFacts, primaryProgress } from '../../../extension/core/colo/side-status';
import { QemuLabError } from '../../../extension/core/errors';
import { pairRecord } from '../presentation/colo/colo-fixtures';

describe('COLO side facts', () => {
  it('reads query-colo-status and query-migrate as QEMU 7.2 answers them in COLO', () => {
    const facts = parseSideFacts({ 'last-mode': 'none', mode: 'primary', reason: 'none' }, { status: 'colo' });
    expect(facts).toEqual({ mode: 'primary', lastMode: 'none', reason: 'none', migrationStatus: 'colo', dirtySyncCount: undefined, transferredBytes: undefined });
    expect(primaryProgress(facts)).toBe('colo');
  });

  it('sees the QEMU 10.0.2 regression: the migration completed, COLO mode none', () => {
    const facts = parseSideFacts({ 'last-mode': 'none', mode: 'none', reason: 'none' }, { status: 'completed', ram: { 'dirty-sync-count': 3, transferred: 123 } });
    expect(facts.dirtySyncCount).toBe(3);
    expect(facts.transferredBytes).toBe(123);
    expect(primaryProgress(facts)).toBe('not-replicating');
  });

  it('tells migrating, failed and unknown answers apart', () => {
    expect(primaryProgress(parseSideFacts({ mode: 'none' }, { status: 'active' }))).toBe('migrating');
    expect(primaryProgress(parseSideFacts({ mode: 'none' }, { status: 'failed' }))).toBe('failed');
    expect(parseSideFacts('junk', undefined)).toMatchObject({ mode: 'unknown', lastMode: 'unknown', reason: 'unknown', migrationStatus: undefined });
  });
});

const record: ColoPairRecord = pairRecord;

function side(role: 'primary' | 'secondary', alive: boolean, qmp: ColoSideStatus['qmp'] = alive ? 'ok' : 'dead'): ColoSideStatus {
  return { role, host: 'local', slot: undefined, pid: alive ? 100 : undefined, alive, qmp, responseMs: undefined, facts: undefined, qemu: '', ssh: undefined };
}

describe('COLO pair verdict', () => {
  it.each([
    ['both answer', side('primary', true), side('secondary', true), 'replicating'],
    ['the primary lives but its QMP is silent', side('primary', true, 'unresponsive'), side('secondary', true), 'hung'],
    ['the primary died', side('primary', false), side('secondary', true), 'primary-lost'],
    ['the secondary died', side('primary', true), side('secondary', false), 'secondary-lost'],
    ['neither runs', side('primary', false), side('secondary', false), 'stopped'],
  ] as const)('%s → %s', (_name, primary, secondary, expected) => {
    expect(judgePair(record, primary, secondary)).toBe(expected);
  });

  it('says failed-over once a failover happened, whoever survives', () => {
    expect(judgePair({ ...record, state: 'failed-over' }, side('primary', false), side('secondary', true))).toBe('failed-over');
  });
});

describe('COLO pair record', () => {
  it('round-trips and refuses what is not one', () => {
    expect(parsePairRecord(JSON.stringify(record))).toEqual(record);
    expect(parsePairRecord(undefined)).toBeUndefined();
    expect(parsePairRecord('{')).toBeUndefined();
    expect(parsePairRecord(JSON.stringify({ ...record, version: 2 }))).toBeUndefined();
  });

  it('refuses a version-1 record that breaks the schema, saying which field', () => {
    const refused = (changed: object): (() => unknown) => () => parsePairRecord(JSON.stringify({ ...record, ...changed }), '/state/colo/x.json');
    expect(refused({ primary: 'local' })).toThrow(StateTrustError);
    expect(refused({ secondary: { host: '-oProxyCommand=x' } })).toThrow(/secondary\.host "-oProxyCommand=x" is not a name/);
    expect(refused({ secondary: { host: '../../x' } })).toThrow(/secondary\.host/);
    expect(refused({ plan: { ...record.plan, ports: { ...record.plan.ports, mirror: '9001' } } })).toThrow(/plan\.ports\.mirror is not a whole number/);
    expect(refused({ plan: { ...record.plan, primaryAddress: '0.0.0.0' } })).toThrow(/wildcard/);
    expect(refused({ disk: { primaryImage: 'rel.qcow2', secondaryImages: { parent: '/a', active: '/b', hidden: '/c' } } })).toThrow(/disk\.primaryImage "rel.qcow2" is not an absolute path/);
  });

  it('lives in the state directory, one file per lab and VM', () => {
    expect(pairRecordPath('/state', '/lab/qemu-lab.yaml', 'vm1')).toMatch(/^\/state\/colo\/[0-9a-f]{10}-vm1\.json$/);
    expect(pairRecordPath('/state', '/other/qemu-lab.yaml', 'vm1')).not.toBe(pairRecordPath('/state', '/lab/qemu-lab.yaml', 'vm1'));
  });
});

describe('COLO errors', () => {
  it('are in the one error tree, with hints that name the QEMU limit', () => {
    const hung = new ColoCheckpointHungError('vm1', { qemu: 'QEMU emulator version 7.2.22', accel: 'tcg' }, 12_300);
    expect(hung).toBeInstanceOf(ColoError);
    expect(hung).toBeInstanceOf(QemuLabError);
    expect(hung.message).toMatch(/12\.3 s .*7\.2\.22.*TCG.*both QEMUs of the pair were killed/);
    expect(hung.hint).toMatch(/QEMU 7\.2 under TCG deadlocks at the first COLO checkpoint/);
    expect(new ColoCheckpointHungError('vm1', { qemu: 'Q', accel: 'kvm' }, 1).hint).toMatch(/should not hang under KVM/);
    const regression = new ColoNotReplicatingError('vm1', { qemu: 'QEMU emulator version 10.0.2', accel: 'tcg' }, 'completed');
    expect(regression.message).toMatch(/never entered COLO.*"completed"/);
    expect(regression.hint).toMatch(/10\.0\.7/);
  });
});
