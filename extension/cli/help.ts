/**
 * Usage lines, option lists and `--help`, generated from the command specs (`command-spec.ts`):
 * what the CLI says about a command is what the command declares.
 */
import { joined, type CliCommand, type CommandGroup, type LeafCommand } from './command-spec';

/** The usage of a command, without `qemu-lab`: `up VM [--exec CMD] [--down] [--timeout SECONDS]`. */
export function usageLine(path: string, command: LeafCommand): string {
  const words = joined(path, command.name);
  if (command.usageOverride !== undefined) return path === '' ? command.usageOverride : `${path} ${command.usageOverride}`;
  const options = Object.entries(command.options).map(([name, o]) => `[--${name}${o.value === undefined ? '' : ` ${o.value}`}]`);
  return [words, ...(command.operands === undefined ? [] : [command.operands.synopsis]), ...options].join(' ');
}

/** `Options of migrate:` and one line per option with its help (continuation lines indented under it). */
export function optionList(path: string, command: LeafCommand): string {
  const flags = Object.entries(command.options).map(([name, o]) => ({
    flag: `${o.short === undefined ? '' : `-${o.short}, `}--${name}${o.value === undefined ? '' : ` ${o.value}`}`,
    help: o.help,
  }));
  const width = Math.max(0, ...flags.map((f) => f.flag.length));
  const lines = flags.map((f) => `  ${f.flag.padEnd(width)}  ${f.help.split('\n').join(`\n  ${' '.repeat(width)}  `)}`);
  return [`Options of ${joined(path, command.name)}:`, ...lines].join('\n');
}

/** Every command under `commands` (through groups) with its usage and summary, in order. */
export function commandRows(commands: readonly CliCommand[], path = ''): { readonly usage: string; readonly summary: string }[] {
  return commands.flatMap((c) => (c.kind === 'group' ? commandRows(c.subcommands, joined(path, c.name)) : [{ usage: usageLine(path, c), summary: c.summary }]));
}

/** Usages longer than this put their summary on the next line, so one long usage does not push every summary off the screen. */
const USAGE_COLUMN = 48;

/** Usage and summary rows, aligned. */
function table(rows: readonly { readonly usage: string; readonly summary: string }[]): string[] {
  const width = Math.min(USAGE_COLUMN, Math.max(0, ...rows.map((r) => r.usage.length)));
  return rows.map((r) => (r.usage.length > width ? `  ${r.usage}\n  ${' '.repeat(width)}  ${r.summary}` : `  ${r.usage.padEnd(width)}  ${r.summary}`));
}

/** `Subcommands of colo:` and each one's usage. */
export function subcommandList(path: string, group: CommandGroup): string {
  return [`Subcommands of ${joined(path, group.name)}:`, ...commandRows(group.subcommands, joined(path, group.name)).map((r) => `  ${r.usage}`)].join('\n');
}

/** `qemu-lab --help`. */
export function helpText(commands: readonly CliCommand[]): string {
  return [
    'qemu-lab — run QEMU labs from a lab file.',
    '',
    'Usage: qemu-lab [-f FILE] [--json] COMMAND [ARGS…]',
    '',
    'Options:',
    '  -f, --file FILE   the lab file (default ./qemu-lab.yaml)',
    '  --json            print data as JSON',
    '  --accept-new-host-key  trust an SSH host seen for the first time (a changed key is always refused)',
    '  -h, --help        this help; after a command, that command\'s',
    '',
    'Commands:',
    ...table(commandRows(commands)),
    '',
  ].join('\n');
}

/** `qemu-lab COMMAND --help`: a command's usage, summary and options, or a group's commands. */
export function commandHelp(path: string, command: CliCommand): string {
  if (command.kind === 'group') return [`${command.summary}.`, '', 'Commands:', ...table(commandRows(command.subcommands, joined(path, command.name))), ''].join('\n');
  const options = Object.keys(command.options).length === 0 ? [] : ['', optionList(path, command)];
  return [`Usage: qemu-lab ${usageLine(path, command)}`, '', `${command.summary}.`, ...options, ''].join('\n');
}
