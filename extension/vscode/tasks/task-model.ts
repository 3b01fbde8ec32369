import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { partKey } from '../../core/lab-run/parts';
import type { LabModel } from '../../core/lab/model';
import { NAME_PATTERN } from '../../core/lab/vocabulary';

// What `qemu-lab` tasks are, as pure functions (no `vscode` here, so they are tested without an
// editor): the tasks a lab file offers, and the CLI command line a task definition — which may
// come from a hand-written tasks.json — stands for, checked before anything runs.

/** The task type in tasks.json and package.json's `taskDefinitions`. */
export const LAB_TASK_TYPE = 'qemu-lab';

/** A `qemu-lab` task as tasks.json holds it. */
export interface LabTaskDefinition {
  readonly type: typeof LAB_TASK_TYPE;
  /** The lab file, relative to the workspace folder. */
  readonly lab: string;
  /** One part (`experiment:NAME`, `migration:NAME`, `colo:VM`); absent: the whole lab. */
  readonly part?: string;
  /** Whole runs of the lab (1–100); absent: 1. */
  readonly runs?: number;
}

/** A task a lab file offers in "Run Task". */
export interface LabTaskOffer {
  readonly label: string;
  readonly detail: string;
  readonly definition: LabTaskDefinition;
}

/** The most whole runs a task may ask for, as `qemu-lab run --runs` takes. */
const MAX_RUNS = 100;

/**
 * The tasks of one lab file: the whole lab (`qemu-lab run`), then each experiment, migration
 * and COLO pair alone (`--only`), in the file's order.
 *
 * @param labPath the lab file relative to its workspace folder, as tasks.json will hold it.
 */
export function labTaskOffers(lab: LabModel, labPath: string): LabTaskOffer[] {
  const offer = (label: string, detail: string, part?: string): LabTaskOffer => ({
    label: `${label} (${labPath})`,
    detail,
    definition: { type: LAB_TASK_TYPE, lab: labPath, ...(part === undefined ? {} : { part }) },
  });
  const offers = [offer('run the whole lab', 'every experiment, migration and COLO pair; one report (qemu-lab run)')];
  for (const name of lab.experiments.keys()) offers.push(offer(`experiment ${name}`, 'run this experiment; the report keeps the other parts', partKey('experiment', name)));
  for (const name of lab.migrations.keys()) offers.push(offer(`migration ${name}`, 'run this migration with its benchmarks; the report keeps the other parts', partKey('migration', name)));
  for (const vm of lab.vms.values()) {
    if (vm.faultTolerance !== undefined) offers.push(offer(`COLO pair of ${vm.name}`, 'set up the pair, fail over, take it down; the report keeps the other parts', partKey('colo', vm.name)));
  }
  return offers;
}

/** The command a task runs: the CLI's arguments (after the program), in the lab file's folder. */
export interface LabTaskCommand {
  /** The lab file, absolute. */
  readonly labFile: string;
  readonly args: readonly string[];
}

/**
 * Checks a task definition (anything: tasks.json is hand-written) and makes its CLI arguments.
 * The lab file must be a lab file inside the workspace folder; a part must be a part key or
 * name, never an option.
 *
 * @returns the command, or a sentence saying what is wrong and what to write.
 */
export function labTaskCommand(definition: unknown, workspaceFolder: string): LabTaskCommand | { readonly problem: string } {
  if (typeof definition !== 'object' || definition === null) return { problem: 'A qemu-lab task needs a definition with "lab".' };
  const { lab, part, runs } = definition as Record<string, unknown>;
  if (typeof lab !== 'string' || lab.trim() === '') return { problem: 'A qemu-lab task needs "lab": the lab file, relative to the workspace folder (e.g. "qemu-lab.yaml").' };
  const labFile = normalize(join(workspaceFolder, lab));
  const inside = relative(workspaceFolder, labFile);
  if (isAbsolute(lab) || inside === '' || inside === '..' || inside.startsWith(`..${sep}`)) {
    return { problem: `"lab": "${lab}" is not a file inside the workspace folder: write its path relative to the folder.` };
  }
  if (!/(^|\/)(qemu-lab\.yaml|[^/]+\.qemu-lab\.yaml)$/.test(inside.split(sep).join('/'))) {
    return { problem: `"lab": "${lab}" is not a lab file: its name is qemu-lab.yaml or ends in .qemu-lab.yaml.` };
  }
  const args = ['-f', labFile, 'run'];
  if (part !== undefined) {
    const [kind, name, extra] = typeof part === 'string' ? part.split(':') : [];
    const valid = extra === undefined && (name === undefined ? NAME_PATTERN.test(kind ?? '') : ['experiment', 'migration', 'colo'].includes(kind ?? '') && NAME_PATTERN.test(name));
    if (!valid) return { problem: `"part": ${JSON.stringify(part)} is not a part of a lab: write experiment:NAME, migration:NAME or colo:VM.` };
    args.push('--only', part as string);
  }
  if (runs !== undefined) {
    if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) return { problem: `"runs": ${JSON.stringify(runs)} is not a whole number from 1 to ${MAX_RUNS}.` };
    args.push('--runs', String(runs));
  }
  return { labFile, args };
}
