/**
 * The one way a CLI command is defined: a typed spec (name, operands, options with their help,
 * summary, run) for every command and sub-command. Parsing, the "takes exactly one VM name"
 * checks, usage lines and help are generated from it (`help.ts`), so no command parses its own
 * flags or words its own usage.
 *
 * Why this table over node:util's parseArgs rather than commander or yargs (#21, weighed): the
 * table already gives typed values per command, groups of subcommands, generated help and usage
 * errors, and completion (complete.ts), all from the one entry; commander would add ~35 KB
 * minified to the bundle and yargs ~116 KB for the same, and neither completes names from the lab
 * file. The one thing both had that the table lacked, "did you mean" for a misspelt command or
 * option, is here too (core/lab/suggest.ts).
 */
import { parseArgs } from 'node:util';
import { closestMatch } from '../core/lab/suggest';
import { UsageError, type CliIo, type GlobalOptions } from './io';

/** An option: with `value` it takes one (`--timeout SECONDS`), without it is a switch. */
export interface OptionSpec {
  /** The value's name in usage and help, e.g. `SECONDS`, `kill|failover`. */
  readonly value?: string;
  /** A one-letter alias, e.g. `o` for `-o`. */
  readonly short?: string;
  /** What it does, for the option list; wrapped to the help's width, a `\n` starts a new line. */
  readonly help: string;
  /** What its value names, for shell completion (names from the lab file); omitted: values like `a|b|c` complete to those words. */
  readonly complete?: CompletionKind;
}

/** Names shell completion offers from the lab file (read only: no probing, no processes). */
export type CompletionKind = 'vm' | 'host' | 'experiment' | 'migration' | 'part' | 'file';

/** A command's options by long name (without `--`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed options: a string for an option with a value, `true` for a switch; absent when not given. */
export type OptionValues<O extends OptionSpecs> = { readonly [K in keyof O]?: O[K] extends { readonly value: string } ? string : boolean };

/** The words after the command's name, besides options. */
export interface OperandSpec {
  /** How usage shows them, e.g. `VM`, `FILE…`, `VM [-- CMD…]`. */
  readonly synopsis: string;
  /** Exactly one is checked here (`up takes exactly one VM name.`); `any` leaves the check to `run`. */
  readonly count: 1 | 'any';
  /** What one is, for the error: `VM name`, `experiment name`. */
  readonly what?: string;
  /** What shell completion offers for the first operand. */
  readonly complete?: CompletionKind;
}

/** Exactly one VM name: what most commands act on. */
export const ONE_VM: OperandSpec = { synopsis: 'VM', count: 1, what: 'VM name', complete: 'vm' };

/** What `run` gets: the options and operands, already checked against the spec. */
export interface CommandInput<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

/** A command as written: the spec. */
export interface CommandSpec<O extends OptionSpecs> {
  /** One word; a sub-command's name is its word within its group. */
  readonly name: string;
  /** Omitted: the command takes no operands. */
  readonly operands?: OperandSpec;
  readonly options?: O;
  /** Said after "takes no arguments", e.g. `name the file with -f`. */
  readonly noOperandsHint?: string;
  /** The usage when the generated one cannot say it: one line per alternative form, each without the command's path. */
  readonly usage?: string | readonly string[];
  readonly summary: string;
  /** How it is typed, in full (`qemu-lab up vm1 --exec 'uname -a'`): shown by `--help`; several for several forms. */
  readonly example?: string | readonly string[];
  /** Usage errors list every option with its help (for commands with many). */
  readonly listOptionsOnError?: boolean;
  readonly run: (input: CommandInput<O>, global: GlobalOptions, io: CliIo) => Promise<number>;
}

/** A command as the CLI runs it. */
export interface LeafCommand {
  readonly kind: 'command';
  readonly name: string;
  readonly summary: string;
  readonly operands: OperandSpec | undefined;
  readonly options: OptionSpecs;
  /** The spec's `usage`, one alternative form per line; undefined: generated. */
  readonly usageOverride: readonly string[] | undefined;
  readonly examples: readonly string[];
  readonly listOptionsOnError: boolean;
  /** Checks `args` against the spec (options, operand count) without running anything; throws {@link UsageError}. */
  readonly parse: (args: readonly string[], path?: string) => { readonly values: Readonly<Record<string, string | boolean | undefined>>; readonly positionals: readonly string[] };
  /** Parses `args` against the spec and runs the command; `path` is its group's words (`colo` for `colo up`; none at the top). */
  readonly run: (args: readonly string[], global: GlobalOptions, io: CliIo, path?: string) => Promise<number>;
}

/** Commands under one word: `colo up|status|…`, `guest build`. */
export interface CommandGroup {
  readonly kind: 'group';
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly CliCommand[];
  /** Left out of help and completion (`internal`: what the CLI runs of itself). */
  readonly hidden: boolean;
}

/** Anything `runCli` can be given: a command or a group of them. */
export type CliCommand = LeafCommand | CommandGroup;

/** `up`, `colo up`: a command's words from the top, given its group's words (`''` at the top). */
export function joined(path: string, name: string): string {
  return [path, name].filter((word) => word !== '').join(' ');
}

/** Defines a command from its spec (the only way there is). */
export function defineCommand<const O extends OptionSpecs = Record<never, OptionSpec>>(spec: CommandSpec<O>): LeafCommand {
  const options: OptionSpecs = spec.options ?? {};
  const parse = (args: readonly string[], path = ''): CommandInput<O> => {
    const words = joined(path, spec.name);
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: Object.fromEntries(
          Object.entries(options).map(([name, o]) => [name, { type: o.value === undefined ? 'boolean' : 'string', ...(o.short === undefined ? {} : { short: o.short }) }] as const),
        ),
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      // node:util's wording ("Unknown option '--x'. To specify a positional argument…") says what is wrong;
      // a misspelt option also gets the closest one the command takes.
      const message = error instanceof Error ? error.message : String(error);
      const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
      const near = unknown === undefined ? undefined : closestMatch(unknown, Object.keys(options));
      throw new UsageError(near === undefined ? message : `Unknown option '--${unknown}'; did you mean --${near}?`);
    }
    const { positionals } = parsed;
    if (spec.operands === undefined && positionals.length > 0) {
      throw new UsageError(`${words} takes no arguments (got "${positionals[0]}")${spec.noOperandsHint === undefined ? '' : `; ${spec.noOperandsHint}`}.`);
    }
    if (spec.operands?.count === 1 && positionals.length !== 1) {
      throw new UsageError(`${words} takes exactly one ${spec.operands.what ?? spec.operands.synopsis}.`);
    }
    return { values: parsed.values as OptionValues<O>, positionals };
  };
  return {
    kind: 'command',
    name: spec.name,
    summary: spec.summary,
    operands: spec.operands,
    options,
    usageOverride: spec.usage === undefined ? undefined : typeof spec.usage === 'string' ? [spec.usage] : spec.usage,
    examples: spec.example === undefined ? [] : typeof spec.example === 'string' ? [spec.example] : spec.example,
    listOptionsOnError: spec.listOptionsOnError === true,
    parse,
    run: async (args, global, io, path = '') => spec.run(parse(args, path), global, io),
  };
}

/** Defines a group of commands under one word. */
export function defineGroup(spec: { readonly name: string; readonly summary: string; readonly subcommands: readonly CliCommand[]; readonly hidden?: boolean }): CommandGroup {
  return { kind: 'group', ...spec, hidden: spec.hidden === true };
}

/** The command `words` name (the longest match through groups) and how many words that took. */
export function findCommand(commands: readonly CliCommand[], words: readonly string[]): { readonly found: CliCommand; readonly path: string; readonly used: number } | undefined {
  const [first, ...rest] = words;
  const found = commands.find((c) => c.name === first);
  if (found === undefined) return undefined;
  if (found.kind === 'group') {
    const inner = findCommand(found.subcommands, rest);
    if (inner !== undefined) return { found: inner.found, path: joined(found.name, inner.path), used: inner.used + 1 };
  }
  return { found, path: '', used: 1 };
}

/** `--timeout 30` → 30000: a positive number of seconds as milliseconds, or `fallbackMs` when not given. */
export function secondsOption(value: string | undefined, flag: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a number of seconds.`);
  return n * 1000;
}
