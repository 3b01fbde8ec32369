/**
 * {@link parseLabText} in two stages, for an editor: first the located tree (enough for outlines,
 * names, completion), then, only when asked, validation of that same tree (diagnostics and the
 * model). The YAML is read once. The result of both stages equals `parseLabText`'s exactly (a
 * property test checks it over thousands of texts).
 *
 * The first stage also recovers a tree from text with YAML syntax errors (the `yaml` library
 * recovers well from `nic:` alone or an unclosed `{`), so an editor keeps working while the user
 * types. It refuses what the guarded reader refuses for safety: text too long, binary, nested
 * too deep, aliases that are broken or explode.
 */
import { Composer, Parser } from 'yaml';
import { DiagnosticCollector, inFileOrder, type LabDiagnostic, type LabDiagnosticCode } from './diagnostic';
import type { LabParseResult } from './parse';
import { readYamlTree } from './read-yaml';
import { FILE_START, lineCounterFor } from './span';
import { toLabTree, type LabNode } from './tree';
import { validateLab } from './validate';

/** The first stage: the text read into a located tree. */
export interface LabReadStage {
  readonly path: string;
  /** Whether the validator can read {@link root} (no YAML errors, nothing refused). */
  readonly usable: boolean;
  /** The tree the validator reads; `undefined` when not usable or the document is empty. */
  readonly root: LabNode | undefined;
  /** {@link root}, or when the text has YAML syntax errors, the tree recovered from it. */
  readonly tree: LabNode | undefined;
  /** Problems found reading the text. */
  readonly diagnostics: readonly LabDiagnostic[];
}

/** Problems after which the document is still composed: the text itself is safe to read. */
const RECOVERABLE: ReadonlySet<LabDiagnosticCode> = new Set(['yaml-syntax', 'yaml-warning', 'multiple-documents']);

/** The options the guarded reader composes with. */
const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false, version: '1.2' } as const;

/** Reads `text` into a located tree. Never throws. */
export function readLabStage(text: string, path: string): LabReadStage {
  const collector = new DiagnosticCollector(path);
  try {
    const source = typeof text === 'string' ? text : String(text);
    const lineCounter = lineCounterFor(source);
    const read = readYamlTree(source, lineCounter, collector);
    const diagnostics = [...collector.diagnostics];
    if (read.usable) return { path, usable: true, root: read.root, tree: read.root, diagnostics };
    const recoverable = diagnostics.every((problem) => RECOVERABLE.has(problem.code));
    return { path, usable: false, root: undefined, tree: recoverable ? recoverTree(source) : undefined, diagnostics };
  } catch (error) {
    return { path, usable: false, root: undefined, tree: undefined, diagnostics: [internalError(path, error)] };
  }
}

/** Validates what {@link readLabStage} read: the same result as `parseLabText` on the same text. */
export function validateLabStage(stage: LabReadStage): LabParseResult {
  const collector = new DiagnosticCollector(stage.path);
  for (const problem of stage.diagnostics) {
    if (problem.severity === 'error') collector.error(problem.code, problem.span, problem.message, problem.data?.suggestion);
    else collector.warning(problem.code, problem.span, problem.message, problem.data?.suggestion);
  }
  if (stage.diagnostics.some((problem) => problem.code === 'internal-error')) return { lab: undefined, diagnostics: [...collector.diagnostics] };
  let lab: LabParseResult['lab'];
  try {
    lab = stage.usable ? validateLab(stage.root, stage.path, collector) : undefined;
  } catch (error) {
    lab = undefined;
    const problem = internalError(stage.path, error);
    collector.error(problem.code, problem.span, problem.message);
  }
  return { lab, diagnostics: inFileOrder(collector.diagnostics) };
}

/** The tree of the first document of `text`, composed despite syntax errors. */
function recoverTree(text: string): LabNode | undefined {
  const [document] = new Composer(YAML_OPTIONS).compose(new Parser().parse(text), true, text.length);
  if (document === undefined || document.contents === null) return undefined;
  return toLabTree(document, lineCounterFor(text), new DiagnosticCollector('<recovered>'));
}

/** The diagnostic `parseLabText` reports for an unexpected failure. */
function internalError(path: string, error: unknown): LabDiagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  const collector = new DiagnosticCollector(path);
  collector.error('internal-error', FILE_START, `QEMU Lab could not read this file (${reason}); please report it with the file attached`);
  return collector.diagnostics[0] as LabDiagnostic;
}

