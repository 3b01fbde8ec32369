import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationTimeline } from '../../../../extension/core/migration/during/timeline';
import { appendMigrationRecord, makeMigrationRecord, migrationsFilePath, readMigrationRecords, type MigrationRecord } from '../../../../extension/core/migration/store';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/during/migration-record-during.json'), 'utf8')) as MigrationRecord;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration records with a timeline', () => {
  it('keeps the timeline next to the summary, and still reads records written before timelines existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-timeline-'));
    dirs.push(dir);
    // A record as the store wrote it before: no timeline.
    const { timeline: _dropped, ...old } = fixture;
    mkdirSync(join(dir, '.qemu-lab', 'results'), { recursive: true });
    writeFileSync(migrationsFilePath(dir), `${JSON.stringify(old)}\n`);
    await appendMigrationRecord(dir, makeMigrationRecord('/lab/qemu-lab.yaml', fixture.summary, new Date('2026-11-26T01:00:00Z'), fixture.timeline));
    const records = await readMigrationRecords(dir);
    expect(records).toHaveLength(2);
    expect(records[0]?.timeline).toBeUndefined();
    expect(records[0]?.summary).toEqual(fixture.summary);
    const timeline = records[1]?.timeline as MigrationTimeline;
    expect(records[1]?.schema).toBe(1);
    expect(timeline.streams).toEqual(fixture.timeline?.streams);
    expect(timeline.progress.length).toBeGreaterThan(0);
  });

  it('writes no timeline key when there is none (the old layout exactly)', () => {
    expect(Object.keys(makeMigrationRecord('/lab/qemu-lab.yaml', fixture.summary))).toEqual(['id', 'schema', 'kind', 'timestamp', 'lab', 'summary']);
  });
});
