/**
 * The rows of the "Lab" view, as plain data: per lab file its experiments, migrations and
 * networks, each with what it does in one line and where it is written. No `vscode` here, so it
 * is unit-tested; vscode/tree/lab-tree.ts turns it into tree items.
 */
import { basename } from 'node:path';
import type { ExperimentSpec, LabModel, MigrationSpec, NetworkSpec, SourceSpan } from '../../core/lab/model';

/** A lab file in the view (shown only when the workspace has more than one). */
export interface LabFileNode {
  readonly kind: 'lab';
  readonly lab: LabModel;
}

/** What a section lists. */
export type LabSectionKind = 'experiments' | 'migrations' | 'networks';

/** "Experiments", "Migrations" or "Networks" of one lab file. */
export interface LabSectionNode {
  readonly kind: 'section';
  readonly lab: LabModel;
  readonly section: LabSectionKind;
}

/** One entry of a section. */
export interface LabEntryNode {
  readonly kind: 'entry';
  readonly lab: LabModel;
  readonly section: LabSectionKind;
  readonly name: string;
  /** What it does, in one line. */
  readonly description: string;
  /** Where the lab file writes it (the editor opens it there). */
  readonly span: SourceSpan | undefined;
}

/** A row of the "Lab" view. */
export type LabViewNode = LabFileNode | LabSectionNode | LabEntryNode;

const SECTION_TITLES: Readonly<Record<LabSectionKind, string>> = { experiments: 'Experiments', migrations: 'Migrations', networks: 'Networks' };

/** The title of a section row. */
export function sectionTitle(section: LabSectionKind): string {
  return SECTION_TITLES[section];
}

/** The label of a lab file row: its file name. */
export function labFileLabel(lab: LabModel): string {
  return basename(lab.path);
}

/** The top rows: the sections of the one lab file, or a row per lab file when there are several. */
export function labViewRoots(labs: readonly LabModel[]): LabViewNode[] {
  const [only] = labs;
  if (labs.length === 1 && only !== undefined) return sectionsOf(only);
  return labs.map((lab): LabFileNode => ({ kind: 'lab', lab }));
}

/** The sections a lab file has entries in, in the file's usual order. */
export function sectionsOf(lab: LabModel): LabSectionNode[] {
  const present: LabSectionKind[] = [];
  if (lab.experiments.size > 0) present.push('experiments');
  if (lab.migrations.size > 0) present.push('migrations');
  if (lab.networks.size > 0) present.push('networks');
  return present.map((section) => ({ kind: 'section', lab, section }));
}

/** The entries of a section, in the file's order. */
export function entriesOf(node: LabSectionNode): LabEntryNode[] {
  const { lab, section } = node;
  const entry = (name: string, description: string, span: SourceSpan | undefined): LabEntryNode => ({ kind: 'entry', lab, section, name, description, span });
  switch (section) {
    case 'experiments':
      return [...lab.experiments.values()].map((e) => entry(e.name, describeExperiment(e), e.span));
    case 'migrations':
      return [...lab.migrations.values()].map((m) => entry(m.name, describeMigration(m), m.span));
    case 'networks':
      return [...lab.networks.values()].map((n) => entry(n.name, describeNetwork(n), n.span));
  }
}

/** `vm1 · kvm, tcg × virtio, e1000 · sysbench-cpu, iperf3 · 3× 10 s` */
export function describeExperiment(e: ExperimentSpec): string {
  const matrix = [e.matrix.accel, e.matrix.nic].filter((axis): axis is readonly string[] => axis !== undefined && axis.length > 0).map((axis) => axis.join(', '));
  return [e.vm, ...(matrix.length > 0 ? [matrix.join(' × ')] : []), e.benchmarks.join(', '), `${e.repetitions}× ${e.durationSeconds} s`].join(' · ');
}

/** `vm1 → lab-b · auto-converge · with iperf3@guest` */
export function describeMigration(m: MigrationSpec): string {
  return [
    `${m.vm} → ${m.to}${m.sameHost ? ' (same host)' : ''}`,
    ...(m.capabilities.length > 0 ? [m.capabilities.join(', ')] : []),
    ...(m.during.length > 0 ? [`with ${m.during.join(', ')}`] : []),
  ].join(' · ');
}

/** `bridge br0` or `isolated 10.77.0.1/24` */
export function describeNetwork(n: NetworkSpec): string {
  return n.kind === 'bridge' ? `bridge ${n.bridge}` : `isolated ${n.address}`;
}

/**
 * The entry of `section` a command was given (a "Lab" view row), as the plain reference the
 * language server's CodeLens passes: `{ labPath, name }`; undefined for anything else.
 */
export function entryRefOf(argument: unknown, section: LabSectionKind): { readonly labPath: string; readonly name: string } | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as Partial<LabEntryNode>;
  if (node.kind !== 'entry' || node.section !== section || typeof node.name !== 'string' || typeof node.lab?.path !== 'string') return undefined;
  return { labPath: node.lab.path, name: node.name };
}
