import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../core/errors';
import { closestMatch, didYouMean } from '../core/lab/suggest';
import { findCommand, joined, type CliCommand } from './command-spec';
import { commandHelp, GLOBAL_OPTIONS, helpText, optionList, subcommandList, usageBlock } from './help';
import { UsageError, type CliIo, type GlobalOptions } from './io';
import { QEMU_LAB_VERSION } from './version';

/**
 * Runs the CLI: global options, then a command (one word, or a group's word and one of its
 * commands, e.g. `guest build`), then the command's own arguments. Returns the exit code: 0 ok,
 * 1 failed, 2 wrong usage.
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string', short: GLOBAL_OPTIONS.file.short },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: GLOBAL_OPTIONS.help.short },
        version: { type: 'boolean', short: GLOBAL_OPTIONS.version.short },
        'accept-new-host-key': { type: 'boolean' },
      },
      allowPositionals: true,
      strict: false,
      tokens: true,
    });
  } catch (error) {
    io.err(`qemu-lab: ${describeError(error)}\n`);
    return 2;
  }
  // Global options may stand anywhere; everything else is the command and its own arguments.
  const rest: string[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'positional') rest.push(token.value);
    else if (token.kind === 'option' && !Object.hasOwn(GLOBAL_OPTIONS, token.name)) {
      rest.push(token.rawName);
      if (token.value !== undefined && !token.inlineValue) rest.push(token.value);
      else if (token.value !== undefined) rest[rest.length - 1] = `${token.rawName}=${token.value}`;
    } else if (token.kind === 'option-terminator') {
      rest.push('--');
    }
  }
  const values = parsed.values;
  const global: GlobalOptions = {
    file: resolve(io.cwd, typeof values.file === 'string' ? values.file : 'qemu-lab.yaml'),
    json: values.json === true,
    acceptNewHostKey: values['accept-new-host-key'] === true,
  };
  if (values.version === true) {
    io.out(`qemu-lab ${QEMU_LAB_VERSION}\n`);
    return 0;
  }
  const match = findCommand(commands, rest);
  if (values.help === true || rest.length === 0) {
    io.out(match === undefined ? helpText(commands) : commandHelp(match.path, match.found));
    return rest.length === 0 && values.help !== true ? 2 : 0;
  }
  if (match === undefined) {
    const visible = commands.filter((c) => c.kind === 'command' || !c.hidden).map((c) => c.name);
    io.err(`qemu-lab: unknown command "${rest[0]}"${didYouMean(closestMatch(rest[0] ?? '', visible))}. Run qemu-lab --help for the list.\n`);
    return 2;
  }
  const { found, path } = match;
  if (found.kind === 'group') {
    const names = found.subcommands.filter((c) => c.kind === 'command' || !c.hidden).map((c) => c.name);
    const given = rest[match.used];
    const words = joined(path, found.name);
    const problem = given === undefined ? `${words} takes a subcommand` : `${words} has no subcommand "${given}"${didYouMean(closestMatch(given, names))}; it takes`;
    io.err(`qemu-lab: ${problem}: ${names.join(', ')}.\n${subcommandList(path, found)}\n`);
    return 2;
  }
  try {
    return await found.run(rest.slice(match.used), global, io, path);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`qemu-lab: ${error.message}\n${usageBlock(path, found)}\n${found.listOptionsOnError ? `${optionList(path, found)}\n` : ''}`);
      return 2;
    }
    io.err(`qemu-lab: error: ${describeError(error)}\n`);
    return 1;
  }
}
