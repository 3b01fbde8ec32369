import { expect } from 'vitest';
import type { Cli } from '../migration/helpers';

/** One side of `colo status --json`, as the replication tests read it. */
export interface SideJson {
  host: string;
  pid?: number;
  alive?: boolean;
  facts?: { mode: string; migrationStatus?: string };
}

/** `colo status --json`, as the replication tests read it. */
export interface PairJson {
  state: string;
  primary: SideJson;
  secondary: SideJson;
  checkpoints?: { count: number; intervalsMs: number[]; pausesMs: number[] };
  lastFailover?: { survivor: string; durationMs: number };
}

/** The pair's status through the real CLI. */
export async function pairStatus(cli: Cli, vm = 'vm1'): Promise<PairJson> {
  const run = await cli('--json', 'colo', 'status', vm);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PairJson;
}

/** Runs `script` in the guest (on whichever side runs it now); returns its output. */
export async function inGuest(cli: Cli, script: string, vm = 'vm1'): Promise<string> {
  const run = await cli('ssh', vm, '--argv', '--', 'sh', '-c', script);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}
