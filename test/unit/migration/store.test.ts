import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendMigrationRecord, makeMigrationRecord, migrationsFilePath, readMigrationRecords } from '../../../extension/core/migration/store';
import { summarize } from '../../../extension/core/migration/summary';

const summary = summarize(
  {
    vm: 'vm1',
    migration: 'move-vm1',
    from: { host: 'local' },
    to: { host: 'lab-b' },
    uri: undefined,
    status: 'cancelled',
    error: 'The migration was cancelled.',
    phase: 'cancelled',
    startedAt: '2026-11-25T23:00:00.000Z',
    wallTimeMs: 5000,
    settings: { capabilities: ['postcopy'], maxBandwidthBytesPerSecond: undefined, downtimeLimitMs: undefined, xbzrleCacheBytes: undefined, multifdChannels: undefined },
    phases: {},
    switchedToPostcopy: false,
    maxCpuThrottlePercentage: undefined,
    nonConvergence: undefined,
    qemu: { source: undefined, destination: undefined },
    ssh: undefined,
  },
  undefined,
);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the migration store', () => {
  it('appends one JSON line per migration under .qemu-lab/results/, next to results.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-migrations-'));
    dirs.push(dir);
    const path = await appendMigrationRecord(dir, makeMigrationRecord('/labs/qemu-lab.yaml', summary, new Date('2026-11-25T23:00:05Z')));
    expect(path).toBe(join(dir, '.qemu-lab', 'results', 'migrations.jsonl'));
    await appendMigrationRecord(dir, makeMigrationRecord('/labs/qemu-lab.yaml', { ...summary, status: 'completed' }));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ schema: 1, kind: 'migration', timestamp: '2026-11-25T23:00:05.000Z', lab: '/labs/qemu-lab.yaml', summary: { vm: 'vm1', status: 'cancelled', migration: 'move-vm1' } });
    const records = await readMigrationRecords(dir);
    expect(records.map((r) => r.summary.status)).toEqual(['cancelled', 'completed']);
    expect(new Set(records.map((r) => r.id)).size).toBe(2);
  });

  it('starts a fresh line after a torn one, and skips the torn one when reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-migrations-'));
    dirs.push(dir);
    await appendMigrationRecord(dir, makeMigrationRecord('/l', summary));
    appendFileSync(migrationsFilePath(dir), '{"kind":"migration","sche');
    await appendMigrationRecord(dir, makeMigrationRecord('/l', summary));
    expect(await readMigrationRecords(dir)).toHaveLength(2);
    expect(await readMigrationRecords(join(dir, 'nothing-here'))).toEqual([]);
  });
});
