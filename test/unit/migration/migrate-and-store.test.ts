// The use case both the CLI and the editor call, on its path that needs no QEMU: a VM that is not
// running fails in `begin`, before anything started, so there is no attempt to store.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { exampleLabText } from '../../../extension/core/lab/example';
import { readLabFile } from '../../../extension/core/lab/load';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { MigrationError } from '../../../extension/core/migration/errors';
import { migrateAndStore } from '../../../extension/core/migration/migrate-and-store';
import { migrationsFilePath } from '../../../extension/core/migration/store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrateAndStore', () => {
  it('returns the failure of a migration that never started, and stores nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-lab-mas-'));
    dirs.push(dir);
    const labPath = join(dir, 'qemu-lab.yaml');
    writeFileSync(labPath, exampleLabText);
    const { lab } = await readLabFile(labPath);
    if (lab === undefined) throw new Error('the example lab does not load');
    const pool = new HostPool({});
    try {
      const deps = vmDependencies({ env: process.env, stateRoot: join(dir, 'state'), systemFor: labHostSystems(lab, pool) });
      const run = await migrateAndStore({ lab, vmName: 'vm1', to: 'local', settings: { capabilities: [] } }, deps, { migration: {} });
      expect(run.summary).toBeUndefined();
      expect(run.error).toBeInstanceOf(MigrationError);
      expect((run.error as MigrationError).message).toMatch(/VM "vm1" is not running/);
      expect(run.attempt).toBeUndefined();
      expect(run.stored).toEqual({ kind: 'nothing-to-store' });
      expect(existsSync(migrationsFilePath(dir))).toBe(false);
    } finally {
      await pool.dispose();
    }
  });

});
