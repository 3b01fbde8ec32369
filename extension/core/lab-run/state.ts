/**
 * The lab run's record (`.qemu-lab/reports/lab-run.json`): per part (keyed by lab entry) its
 * outcome in every whole run. `qemu-lab run --only PART` replaces that part's outcomes and keeps
 * the others, so one report holds every part. The file is input when read back: checked field by
 * field, and a file that fails the check is refused (and left as it is), never half-used.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../infrastructure/files/atomic-write';
import { isJsonObject, type JsonObject } from '../infrastructure/support/json-object';
import { ResultStoreError } from '../measuring/results/errors';
import type { HeldSessionResult } from './held-session';
import { COST_BENCHMARKS, type ColoCost, type CostBaseline, type CostBenchmark, type CostFigure } from '../colo/cost';
import type { GuestNetworkIdentity, PartOutcome, PartResult } from './outcome';

export const LAB_RUN_SCHEMA = 1;

/** Every part's outcomes, by part key. */
export interface LabRunState {
  readonly schema: number;
  readonly parts: Readonly<Record<string, readonly PartOutcome[]>>;
}

/** Where the lab run's record lives, next to the lab file. */
export function labRunStatePath(labDirectory: string): string {
  return join(labDirectory, '.qemu-lab', 'reports', 'lab-run.json');
}

// A field that breaks the shape is reported as a SyntaxError, as JSON.parse reports broken text: both end in one ResultStoreError.

function need<T>(ok: boolean, value: T, what: string): T {
  if (!ok) throw new SyntaxError(what);
  return value;
}
const str = (o: JsonObject, k: string): string => need(typeof o[k] === 'string' && (o[k] as string).length <= 10_000, o[k] as string, `${k} is not text`);
const optStr = (o: JsonObject, k: string): string | undefined => (o[k] === undefined ? undefined : str(o, k));
const num = (o: JsonObject, k: string): number => need(typeof o[k] === 'number' && Number.isFinite(o[k]) && (o[k] as number) >= 0, o[k] as number, `${k} is not a number`);
const optNum = (o: JsonObject, k: string): number | undefined => (o[k] === undefined ? undefined : num(o, k));
const nums = (o: JsonObject, k: string): number[] => need(Array.isArray(o[k]) && (o[k] as unknown[]).every((n) => typeof n === 'number' && Number.isFinite(n)), o[k] as number[], `${k} is not a list of numbers`);
const strs = (o: JsonObject, k: string): string[] => need(Array.isArray(o[k]) && (o[k] as unknown[]).every((s) => typeof s === 'string'), o[k] as string[], `${k} is not a list of text`);
const obj = (o: JsonObject, k: string): JsonObject => need(isJsonObject(o[k]), o[k] as JsonObject, `${k} is not an object`);

function identity(o: JsonObject | undefined): GuestNetworkIdentity | undefined {
  if (o === undefined) return undefined;
  const macs = obj(o, 'macs');
  const addresses = obj(o, 'addresses');
  return {
    macs: Object.fromEntries(Object.keys(macs).map((k) => [k, str(macs, k)])),
    addresses: Object.fromEntries(Object.keys(addresses).map((k) => [k, strs(addresses, k)])),
  };
}

function heldSession(o: JsonObject): HeldSessionResult {
  const openAtEnd = o.openAtEnd;
  const ended = optStr(o, 'ended');
  return {
    linesBefore: num(o, 'linesBefore'),
    linesAfter: num(o, 'linesAfter'),
    longestSilenceMs: num(o, 'longestSilenceMs'),
    missingLines: num(o, 'missingLines'),
    openAtEnd: need(typeof openAtEnd === 'boolean', openAtEnd as boolean, 'openAtEnd is not true or false'),
    ...(ended === undefined ? {} : { ended }),
  };
}

function coloCost(o: JsonObject): ColoCost {
  const baseline = str(o, 'baseline');
  need(baseline === 'before-colo' || baseline === 'survivor', 0, `cost.baseline "${baseline.slice(0, 40)}" is unknown`);
  const list = o.figures;
  need(Array.isArray(list) && list.length <= COST_BENCHMARKS.length, 0, 'cost.figures is not a list of benchmarks');
  const figures = (list as unknown[]).map((item): CostFigure => {
    const f = need(isJsonObject(item), item as JsonObject, 'a cost figure is not an object');
    const benchmark = str(f, 'benchmark');
    need((COST_BENCHMARKS as readonly string[]).includes(benchmark), 0, `cost benchmark "${benchmark.slice(0, 40)}" is unknown`);
    return { benchmark: benchmark as CostBenchmark, unit: str(f, 'unit'), without: num(f, 'without'), with: num(f, 'with'), ratio: num(f, 'ratio') };
  });
  const u = o.underLoad === undefined ? undefined : obj(o, 'underLoad');
  return {
    baseline: baseline as CostBaseline,
    seconds: num(o, 'seconds'),
    figures,
    underLoad: u === undefined ? undefined : { lookMs: num(u, 'lookMs'), count: num(u, 'count'), intervalsMs: nums(u, 'intervalsMs'), pausesMs: nums(u, 'pausesMs') },
  };
}

function result(o: JsonObject): PartResult {
  const kind = str(o, 'kind');
  if (kind === 'experiment') {
    const runId = str(o, 'runId');
    const cells = obj(o, 'cells');
    return { kind, runId, cells: { done: num(cells, 'done'), skipped: num(cells, 'skipped'), failed: num(cells, 'failed') } };
  }
  if (kind === 'migration') {
    const guest = obj(o, 'guest');
    const error = optStr(o, 'error');
    return {
      kind,
      recordId: optStr(o, 'recordId'),
      argv: strs(o, 'argv'),
      guest: { kernel: optStr(guest, 'kernel'), cpu: optStr(guest, 'cpu') },
      networkBefore: identity(o.networkBefore === undefined ? undefined : obj(o, 'networkBefore')),
      networkAfter: identity(o.networkAfter === undefined ? undefined : obj(o, 'networkAfter')),
      ...(o.heldSession === undefined ? {} : { heldSession: heldSession(obj(o, 'heldSession')) }),
      ...(error === undefined ? {} : { error }),
    };
  }
  if (kind === 'colo') {
    const c = o.checkpoints === undefined ? undefined : obj(o, 'checkpoints');
    const f = o.failover === undefined ? undefined : obj(o, 'failover');
    const cost = o.cost === undefined ? undefined : coloCost(obj(o, 'cost'));
    const costError = optStr(o, 'costError');
    return {
      kind,
      qemuVersion: str(o, 'qemuVersion'),
      checkpointDelayMs: num(o, 'checkpointDelayMs'),
      enterColoMs: optNum(o, 'enterColoMs'),
      checkpoints: c === undefined ? undefined : { lookMs: num(c, 'lookMs'), count: num(c, 'count'), intervalsMs: nums(c, 'intervalsMs'), pausesMs: nums(c, 'pausesMs') },
      failover: f === undefined ? undefined : { survivor: str(f, 'survivor'), durationMs: num(f, 'durationMs') },
      ...(cost === undefined ? {} : { cost }),
      ...(costError === undefined ? {} : { costError }),
    };
  }
  throw new SyntaxError(`result kind "${kind.slice(0, 40)}" is unknown`);
}

function outcome(o: JsonObject): PartOutcome {
  const kind = str(o, 'kind');
  const status = str(o, 'status');
  need(['experiment', 'migration', 'colo'].includes(kind), 0, `kind "${kind.slice(0, 40)}" is unknown`);
  need(['done', 'skipped', 'failed'].includes(status), 0, `status "${status.slice(0, 40)}" is unknown`);
  const reason = optStr(o, 'reason');
  return {
    key: str(o, 'key'),
    kind: kind as PartOutcome['kind'],
    name: str(o, 'name'),
    run: num(o, 'run'),
    status: status as PartOutcome['status'],
    ...(reason === undefined ? {} : { reason }),
    startedAt: str(o, 'startedAt'),
    seconds: num(o, 'seconds'),
    ...(o.result === undefined ? {} : { result: result(obj(o, 'result')) }),
  };
}

/** Reads the record's text (pure): every field checked. @throws ResultStoreError naming the first problem. */
export function parseLabRunState(text: string, where: string): LabRunState {
  try {
    const data: unknown = JSON.parse(text);
    if (!isJsonObject(data) || data.schema !== LAB_RUN_SCHEMA) throw new SyntaxError(`schema is not ${LAB_RUN_SCHEMA}`);
    const parts = obj(data, 'parts');
    const checked: Record<string, PartOutcome[]> = {};
    for (const key of Object.keys(parts)) {
      const list = parts[key];
      if (!Array.isArray(list)) throw new SyntaxError(`parts.${key.slice(0, 60)} is not a list`);
      checked[key] = list.map((item: unknown) => outcome(need(isJsonObject(item), item as JsonObject, 'an outcome is not an object')));
      if (checked[key].some((p) => p.key !== key)) throw new SyntaxError(`an outcome under ${key.slice(0, 60)} names another part`);
    }
    return { schema: LAB_RUN_SCHEMA, parts: checked };
  } catch (error) {
    const problem = error instanceof SyntaxError ? error.message : String(error);
    throw new ResultStoreError(`The lab run record ${where} is not valid: ${problem}.`, {
      hint: 'Move it away (it is left as it is) and run again: qemu-lab run writes a new one; the stored results and migrations are not in it.',
    });
  }
}

/** The record next to the lab file, or an empty one when there is none yet. */
export async function readLabRunState(labDirectory: string): Promise<LabRunState> {
  const path = labRunStatePath(labDirectory);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schema: LAB_RUN_SCHEMA, parts: {} };
    throw new ResultStoreError(`The lab run record ${path} cannot be read: ${(error as Error).message}.`, { hint: 'Check its permissions.' });
  }
  return parseLabRunState(text, path);
}

/** The record with `outcomes` in place of their parts' earlier ones (pure); parts not in `keep` are dropped (gone from the lab). */
export function mergeOutcomes(state: LabRunState, outcomes: readonly PartOutcome[], keep: readonly string[]): LabRunState {
  const parts: Record<string, PartOutcome[]> = {};
  for (const key of keep) {
    const fresh = outcomes.filter((o) => o.key === key);
    const old = state.parts[key];
    if (fresh.length > 0) parts[key] = fresh;
    else if (old !== undefined) parts[key] = [...old];
  }
  return { schema: LAB_RUN_SCHEMA, parts };
}

/** Writes the record atomically (a failure leaves the old one whole). */
export async function writeLabRunState(labDirectory: string, state: LabRunState): Promise<string> {
  const path = labRunStatePath(labDirectory);
  await writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`);
  return path;
}
