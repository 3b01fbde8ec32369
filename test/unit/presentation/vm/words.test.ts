import { describe, expect, it } from 'vitest';
import { parseMigrationInfo } from '../../../../extension/core/migration/progress';
import { summarize } from '../../../../extension/core/migration/summary';
import { migratedWords, progressWords } from '../../../../extension/presentation/migration/migration-words';
import { sshCommandWords, sshEndpointWords } from '../../../../extension/presentation/vm/vm-words';

describe('VM words', () => {
  it('words an SSH endpoint and the command that logs in', () => {
    expect(sshEndpointWords({ host: '127.0.0.1', port: 2222 })).toBe('127.0.0.1:2222');
    expect(sshCommandWords({ host: '127.0.0.1', port: 2222 })).toBe('ssh root@127.0.0.1 -p 2222');
  });
});

describe('migration words for a notification', () => {
  it('words progress as status, time, what is left and the pass', () => {
    const p = parseMigrationInfo({ status: 'active', 'total-time': 12_300, ram: { remaining: 536_870_912, 'dirty-sync-count': 3, transferred: 1, total: 2 } });
    expect(progressWords(p)).toBe('active 12.3 s · 512 MiB left · pass 3');
    expect(progressWords(parseMigrationInfo({ status: 'setup' }))).toBe('setup');
  });

  it('words a completed migration with its downtime when QEMU gave one', () => {
    const summary = summarize(
      {
        vm: 'vm1',
        migration: undefined,
        from: { host: 'local' },
        to: { host: 'lab-b' },
        uri: undefined,
        status: 'completed',
        error: undefined,
        phase: 'done',
        startedAt: '2026-11-25T23:00:00.000Z',
        wallTimeMs: 4_200,
        settings: { capabilities: [], maxBandwidthBytesPerSecond: undefined, downtimeLimitMs: undefined, xbzrleCacheBytes: undefined, multifdChannels: undefined },
        phases: {},
        switchedToPostcopy: false,
        maxCpuThrottlePercentage: undefined,
        nonConvergence: undefined,
        qemu: { source: undefined, destination: undefined },
        ssh: undefined,
      },
      undefined,
    );
    expect(migratedWords('vm1', summary)).toBe('vm1 migrated to lab-b in 4.2 s.');
    expect(migratedWords('vm1', { ...summary, downtimeMs: 38 })).toBe('vm1 migrated to lab-b in 4.2 s, 38 ms downtime.');
  });
});
