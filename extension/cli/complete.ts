/**
 * Shell completion, worked out from the command specs alone: which words fit where the cursor
 * is in `qemu-lab …`. Pure: the names from the lab file are asked for (see
 * `commands/completion.ts`), never probed here.
 */
import { partKey } from '../core/lab-run/parts';
import type { LabModel } from '../core/lab/model';
import type { CliCommand, CompletionKind, LeafCommand, OptionSpec, OptionSpecs } from './command-spec';
import { GLOBAL_OPTIONS } from './help';

/** Names the lab file has, by what they name. */
export type LabNameKind = Exclude<CompletionKind, 'file'>;

/** What fits at the cursor. */
export type CompletionAnswer =
  /** These words (already those that start with what is typed). */
  | { readonly kind: 'words'; readonly words: readonly string[] }
  /** File names: the shell's own file completion. */
  | { readonly kind: 'files' }
  /** Names from the lab file (`-f` if typed, else the default) starting with `prefix`. */
  | { readonly kind: 'lab-names'; readonly what: LabNameKind; readonly labFile: string | undefined; readonly prefix: string };

const NOTHING: CompletionAnswer = { kind: 'words', words: [] };

function startingWith(words: readonly string[], prefix: string): CompletionAnswer {
  return { kind: 'words', words: words.filter((w) => w.startsWith(prefix)) };
}

/** `kill|failover` → the words `kill`, `failover`; a value name that is not such a list → undefined. */
function choices(value: string): string[] | undefined {
  const parts = value.split('|');
  return parts.length > 1 && parts.every((p) => /^[a-z0-9][a-z0-9-]*$/.test(p)) ? parts : undefined;
}

/** What fits as the value of `option` (typed so far: `prefix`). */
function valueAnswer(option: OptionSpec, labFile: string | undefined, prefix: string): CompletionAnswer {
  if (option.complete === 'file') return { kind: 'files' };
  if (option.complete !== undefined) return { kind: 'lab-names', what: option.complete, labFile, prefix };
  const listed = option.value === undefined ? undefined : choices(option.value);
  return listed === undefined ? NOTHING : startingWith(listed, prefix);
}

/** The option a word names (`--to`, `-o`) among `options`, or undefined. */
function optionNamed(options: OptionSpecs, word: string): OptionSpec | undefined {
  if (word.startsWith('--')) return Object.hasOwn(options, word.slice(2)) ? options[word.slice(2)] : undefined;
  if (/^-[^-]$/.test(word)) return Object.values(options).find((o) => o.short === word.slice(1));
  return undefined;
}

/**
 * What fits in place of the last of `words`, the words typed after `qemu-lab` (the last one is
 * the word being completed, `''` for a new one). Global options count anywhere, as `runCli`
 * takes them; after `--` only a command's own words follow, and nothing is offered.
 */
export function completeWords(commands: readonly CliCommand[], words: readonly string[]): CompletionAnswer {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let labFile: string | undefined;
  let level: readonly CliCommand[] = commands;
  let leaf: LeafCommand | undefined;
  let operands = 0;
  let pendingValue: OptionSpec | undefined;
  let afterTerminator = false;
  for (const word of before) {
    if (pendingValue !== undefined) {
      if (pendingValue === GLOBAL_OPTIONS.file) labFile = word;
      pendingValue = undefined;
      continue;
    }
    if (afterTerminator) continue;
    if (word === '--') {
      afterTerminator = true;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const [name = '', inline] = word.split(/=(.*)/s);
      const option = optionNamed(GLOBAL_OPTIONS, name) ?? (leaf === undefined ? undefined : optionNamed(leaf.options, name));
      if (option === GLOBAL_OPTIONS.file && inline !== undefined) labFile = inline;
      if (option?.value !== undefined && inline === undefined) pendingValue = option;
      continue;
    }
    if (leaf !== undefined) {
      operands += 1;
      continue;
    }
    const found = level.find((c) => c.name === word);
    if (found === undefined) return NOTHING;
    if (found.kind === 'group') level = found.subcommands;
    else leaf = found;
  }
  if (pendingValue !== undefined) return valueAnswer(pendingValue, labFile, current);
  if (afterTerminator) return NOTHING;
  if (current.startsWith('-')) {
    const options: OptionSpecs = { ...GLOBAL_OPTIONS, ...(leaf?.options ?? {}) };
    return startingWith(Object.keys(options).map((name) => `--${name}`), current);
  }
  if (leaf === undefined) return startingWith(level.filter((c) => c.kind === 'command' || !c.hidden).map((c) => c.name), current);
  const spec = leaf.operands;
  if (spec === undefined) return NOTHING;
  // A file operand may repeat (`import FILE…`); a name is the first operand only (`qmp VM COMMAND`).
  if (spec.complete === 'file') return { kind: 'files' };
  if (operands > 0) return NOTHING;
  if (spec.complete !== undefined) return { kind: 'lab-names', what: spec.complete, labFile, prefix: current };
  const listed = choices(spec.synopsis);
  return listed === undefined ? NOTHING : startingWith(listed, current);
}

/** The names of `what` in a lab, in the file's order. */
export function labNames(lab: LabModel, what: LabNameKind): string[] {
  if (what === 'part') {
    const colo = [...lab.vms.values()].filter((vm) => vm.faultTolerance !== undefined).map((vm) => partKey('colo', vm.name));
    return [...[...lab.experiments.keys()].map((n) => partKey('experiment', n)), ...[...lab.migrations.keys()].map((n) => partKey('migration', n)), ...colo];
  }
  const names = { vm: lab.vms, host: lab.hosts, experiment: lab.experiments, migration: lab.migrations }[what];
  return [...names.keys()];
}

/**
 * What `qemu-lab internal complete` prints: `words` or `files` on the first line, then one word
 * a line. A word with a space or a control character in it (a lab file can name anything) is
 * left out rather than break the shell's line-per-word reading.
 */
export function completionOutput(answer: { readonly kind: 'words'; readonly words: readonly string[] } | { readonly kind: 'files' }): string {
  if (answer.kind === 'files') return 'files\n';
  // eslint-disable-next-line no-control-regex
  const safe = answer.words.filter((w) => w !== '' && !/[\s\u0000-\u001f\u007f]/.test(w));
  return ['words', ...safe].map((line) => `${line}\n`).join('');
}
