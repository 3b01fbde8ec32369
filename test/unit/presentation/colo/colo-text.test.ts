import { describe, expect, it } from 'vitest';
import type { ColoUpResult } from '../../../../extension/core/colo/colo-up';
import { adviceCommand, coloStatusText } from '../../../../extension/presentation/colo/colo-status-text';
import { coloUpText, enteredColoWords, pairRunningWords } from '../../../../extension/presentation/colo/colo-up-text';
import { stateAdvice, stateWords } from '../../../../extension/presentation/colo/colo-words';
import { pairRecord, pairStatus, side } from './colo-fixtures';

describe('qemu-lab colo status text', () => {
  it('words a replicating pair as the tree does, with each side in a line', () => {
    expect(coloStatusText('vm1', pairStatus('replicating'))).toBe(
      [
        'vm1: replicating (COLO, tcg, checkpoint at least every 600 s, since 2026-11-26T01:00:00.000Z)',
        '  primary   local (pid 4242): mode primary (last none, reason none), migration colo, QMP 4 ms, ssh 127.0.0.1:2222',
        '  secondary lab-b/colo-secondary (pid 4343): mode secondary (last none, reason none), QMP 4 ms, ssh 127.0.0.1:2223',
        '',
      ].join('\n'),
    );
  });

  it('says the state in the editor\'s words, with its advice and the command that does it', () => {
    const hung = pairStatus('hung', { primary: side('primary', 'local', { qmp: 'unresponsive' }) });
    const text = coloStatusText('vm1', hung);
    expect(text).toMatch(new RegExp(`^vm1: ${stateWords('hung').replace(/[()]/g, '\\$&')} \\(COLO`));
    expect(text).toContain('  primary   local (pid 4242): QMP does not answer\n');
    expect(text).toContain(`  ${stateAdvice(hung)} (qemu-lab colo failover vm1)\n`);
    expect(coloStatusText('vm1', pairStatus('secondary-lost', { secondary: side('secondary', 'lab-b', { alive: false }) }))).toContain('  secondary lab-b/colo-secondary: not running\n');
  });

  it('names the last failover as the tree does', () => {
    const status = pairStatus('failed-over', { lastFailover: { survivor: 'secondary', reason: 'primary-lost', at: '2026-11-26T01:05:00.123Z', durationMs: 120 } });
    expect(coloStatusText('vm1', status)).toContain('  last failover: to the secondary on lab-b at 2026-11-26 01:05:00Z (heartbeat: the primary QEMU was gone; took 120 ms)\n');
  });

  it('has a command for every state that has advice, and none for the others', () => {
    for (const state of ['replicating', 'hung', 'primary-lost', 'secondary-lost', 'failed-over', 'stopped'] as const) {
      expect(adviceCommand('vm1', state) === undefined, state).toBe(stateAdvice(pairStatus(state)) === undefined);
    }
    expect(adviceCommand('vm1', 'secondary-lost')).toBe('qemu-lab colo failover vm1 --to primary');
    expect(adviceCommand('vm1', 'stopped')).toBe('qemu-lab colo down vm1');
  });
});

const record = pairRecord;

const result: ColoUpResult = { record, alreadyRunning: false, primaryPid: 11, secondaryPid: 12, enterColoMs: 1234, primary: undefined, firstCheckpoint: { watchedMs: 2500, syncsBefore: 3, syncsAfter: 4 } };

describe('colo up text', () => {
  it('words the pair the CLI and the editor show alike', () => {
    expect(pairRunningWords(result)).toBe('COLO pair running');
    expect(pairRunningWords({ ...result, alreadyRunning: true, enterColoMs: undefined })).toBe('COLO pair already running');
    expect(enteredColoWords(result)).toBe('in COLO 1.2 s after migrate');
    expect(enteredColoWords({ ...result, enterColoMs: undefined })).toBeUndefined();
  });

  it('prints what was set up, where', () => {
    expect(coloUpText('vm1', result)).toBe(
      [
        'vm1: COLO pair running (tcg, QEMU emulator version 7.2.22).',
        '  primary:   local (pid 11)',
        '  secondary: lab-b/colo-secondary (pid 12)',
        '  in COLO 1.2 s after migrate; checkpoint at least every 2 s',
        '  proxy sockets on 10.0.0.1; migration stream tcp:10.0.0.2:5000',
        '  first checkpoint window watched for 2.5 s: the primary kept answering (memory syncs 3 → 4)',
        '',
      ].join('\n'),
    );
  });

  it('says plainly when QEMU cannot report checkpoints in COLO, instead of "memory syncs ? → ?"', () => {
    const silent = { ...result, firstCheckpoint: { watchedMs: 9300, syncsBefore: undefined, syncsAfter: undefined } };
    expect(coloUpText('vm1', silent)).toContain(
      '  first checkpoint window watched for 9.3 s: the primary kept answering (QEMU 7.2.22 cannot report checkpoints while in COLO: query-migrate counts no memory syncs there)\n',
    );
  });
});
