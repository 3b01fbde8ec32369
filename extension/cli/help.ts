/**
 * Usage lines, option lists and `--help`, generated from the command specs (`command-spec.ts`):
 * what the CLI says about a command is what the command declares. Everything is laid out for
 * {@link HELP_COLUMNS} columns, so no line wraps in a default terminal.
 */
import { joined, type CliCommand, type CommandGroup, type LeafCommand, type OptionSpecs } from './command-spec';

/** The width help is laid out for: a default terminal's. */
export const HELP_COLUMNS = 80;

/** Option flags longer than this put their help on the next line, so one long flag does not squeeze every help text. */
const FLAG_COLUMN = 24;

/** Command words longer than this put their summary on the next line. */
const NAME_COLUMN = 16;

/** The columns `text` takes in a terminal: one per code point (the help has no wide characters). */
export function columns(text: string): number {
  return [...text].length;
}

function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}

/**
 * `text` filled into lines of at most `width` columns, breaking between words; a `\n` in `text`
 * starts a new line. A single word longer than `width` stands on a line of its own.
 */
export function wrapWords(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => fill(paragraph.split(' ').filter((w) => w !== ''), width, ' '));
}

/** Words filled into lines of at most `width` columns, joined by `gap`. */
function fill(words: readonly string[], width: number, gap: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = word;
    else if (columns(line) + columns(gap) + columns(word) <= width) line += gap + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  return line === '' && lines.length > 0 ? lines : [...lines, line];
}

/** `first` then `text` wrapped, continuation lines indented to where the text starts. */
function hanging(first: string, text: string, width = HELP_COLUMNS): string[] {
  const indent = columns(first);
  const [head = '', ...tail] = wrapWords(text, width - indent);
  return [first + head, ...tail.map((line) => ' '.repeat(indent) + line)];
}

/**
 * A usage's words: split at spaces outside brackets, so `[--on-hang kill|failover]` stays one
 * piece when a usage is wrapped.
 */
function usageWords(usage: string): string[] {
  const words: string[] = [];
  let depth = 0;
  let word = '';
  for (const char of usage) {
    if (char === '[') depth += 1;
    if (char === ']') depth = Math.max(0, depth - 1);
    if (char === ' ' && depth === 0) {
      if (word !== '') words.push(word);
      word = '';
    } else word += char;
  }
  if (word !== '') words.push(word);
  return words;
}

/** Each form of a command's usage, without `qemu-lab`: `up VM [--exec CMD] [--down] [--timeout SECONDS]`. */
export function usageForms(path: string, command: LeafCommand): string[] {
  if (command.usageOverride !== undefined) return command.usageOverride.map((form) => (path === '' ? form : `${path} ${form}`));
  const options = Object.entries(command.options).map(([name, o]) => `[--${name}${o.value === undefined ? '' : ` ${o.value}`}]`);
  return [[joined(path, command.name), ...(command.operands === undefined ? [] : [command.operands.synopsis]), ...options].join(' ')];
}

/** The usage of a command in one line, forms separated by ` | ` (for tests and short mentions). */
export function usageLine(path: string, command: LeafCommand): string {
  return usageForms(path, command).join(' | ');
}

/**
 * `Usage: qemu-lab …`, a line per form, each wrapped at 80 columns with its continuation lines
 * under the command's first operand.
 */
export function usageBlock(path: string, command: LeafCommand): string {
  const label = 'Usage: ';
  const words = joined(path, command.name);
  return usageForms(path, command)
    .flatMap((form, index) => {
      const lead = `${index === 0 ? label : ' '.repeat(label.length)}qemu-lab `;
      const pieces = usageWords(form);
      const commandPieces = words.split(' ').length;
      const start = form.startsWith(`${words} `) || form === words ? commandPieces : 0;
      const head = pieces.slice(0, start).join(' ');
      const indent = columns(lead) + (head === '' ? 0 : columns(head) + 1);
      // A long command path would leave too little room: then continuation lines go under the path.
      const at = indent > HELP_COLUMNS / 2 ? columns(lead) : indent;
      const [first = '', ...rest] = fill(pieces.slice(start), HELP_COLUMNS - at, ' ');
      return [`${lead}${head === '' ? '' : `${head} `}${first}`.trimEnd(), ...rest.map((line) => ' '.repeat(at) + line)];
    })
    .join('\n');
}

/** Option lines (`  -o, --output PATH  help…`) with their help wrapped under it. */
function optionLines(options: OptionSpecs): string[] {
  const flags = Object.entries(options).map(([name, o]) => ({
    flag: `${o.short === undefined ? '' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`,
    help: o.help,
  }));
  const width = Math.min(FLAG_COLUMN, Math.max(0, ...flags.map((f) => columns(f.flag))));
  const helpAt = 2 + width + 2;
  return flags.flatMap((f) =>
    columns(f.flag) > width ? [`  ${f.flag}`, ...hanging(' '.repeat(helpAt), f.help)] : hanging(`  ${padTo(f.flag, width)}  `, f.help),
  );
}

/** `Options of migrate:` and one line per option with its help (wrapped under it). */
export function optionList(path: string, command: LeafCommand): string {
  return [`Options of ${joined(path, command.name)}:`, ...optionLines(command.options)].join('\n');
}

/** Every command under `commands` (through groups, hidden ones left out) with its words and summary, in order. */
export function commandRows(commands: readonly CliCommand[], path = ''): { readonly words: string; readonly summary: string }[] {
  return commands.flatMap((c) => {
    if (c.kind === 'group') return c.hidden ? [] : commandRows(c.subcommands, joined(path, c.name));
    return [{ words: joined(path, c.name), summary: c.summary }];
  });
}

/** Command words and summaries, the summaries aligned and wrapped. */
function commandTable(rows: readonly { readonly words: string; readonly summary: string }[]): string[] {
  const width = Math.min(NAME_COLUMN, Math.max(0, ...rows.map((r) => columns(r.words))));
  const summaryAt = 2 + width + 2;
  return rows.flatMap((r) =>
    columns(r.words) > width ? [`  ${r.words}`, ...hanging(' '.repeat(summaryAt), r.summary)] : hanging(`  ${padTo(r.words, width)}  `, r.summary),
  );
}

/** `Subcommands of colo:` and each one's usage. */
export function subcommandList(path: string, group: CommandGroup): string {
  const inner = joined(path, group.name);
  return [`Subcommands of ${inner}:`, ...commandTable(commandRows(group.subcommands, inner))].join('\n');
}

/** The options every command takes, as `--help` shows them (main.ts parses them). */
export const GLOBAL_OPTIONS = {
  file: { value: 'FILE', short: 'f', complete: 'file', help: 'the lab file (default ./qemu-lab.yaml)' },
  json: { help: 'print data as JSON' },
  'accept-new-host-key': { help: 'trust an SSH host seen for the first time (a changed key is always refused)' },
  help: { short: 'h', help: "this help; after a command, that command's" },
  version: { short: 'V', help: 'print the version of qemu-lab' },
} as const satisfies OptionSpecs;

/** `qemu-lab --help`: the global options and every command with its summary. */
export function helpText(commands: readonly CliCommand[]): string {
  return [
    'qemu-lab — run QEMU labs from a lab file.',
    '',
    'Usage: qemu-lab [-f FILE] [--json] [--accept-new-host-key] COMMAND [ARGS…]',
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Commands:',
    ...commandTable(commandRows(commands)),
    '',
    ...wrapWords("Run qemu-lab COMMAND --help for a command's usage, options and an example.", HELP_COLUMNS),
    '',
  ].join('\n');
}

/** `qemu-lab COMMAND --help`: a command's usage, summary, options and examples, or a group's commands. */
export function commandHelp(path: string, command: CliCommand): string {
  if (command.kind === 'group') {
    const inner = joined(path, command.name);
    return [...wrapWords(`${command.summary}.`, HELP_COLUMNS), '', 'Commands:', ...commandTable(commandRows(command.subcommands, inner)), '', ...wrapWords(`Run qemu-lab ${inner} COMMAND --help for a command's usage, options and an example.`, HELP_COLUMNS), ''].join('\n');
  }
  const options = Object.keys(command.options).length === 0 ? [] : ['', optionList(path, command)];
  const examples = command.examples.length === 0 ? [] : ['', command.examples.length === 1 ? 'Example:' : 'Examples:', ...command.examples.map((e) => `  ${e}`)];
  return [usageBlock(path, command), '', ...wrapWords(`${command.summary}.`, HELP_COLUMNS), ...options, ...examples, ''].join('\n');
}
