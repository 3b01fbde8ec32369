import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError } from '../core/errors';
import { UsageError, type CliCommand, type CliIo, type GlobalOptions } from './io';

function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'qemu-lab — run QEMU labs from a lab file.',
    '',
    'Usage: qemu-lab [-f FILE] [--json] COMMAND [ARGS…]',
    '',
    'Options:',
    '  -f, --file FILE   the lab file (default ./qemu-lab.yaml)',
    '  --json            print data as JSON',
    '  --accept-new-host-key  trust an SSH host seen for the first time (a changed key is always refused)',
    '  -h, --help        this help',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

/**
 * Runs the CLI: global options, then a command (one or two words, e.g. `guest build`), then the
 * command's own arguments. Returns the exit code: 0 ok, 1 failed, 2 wrong usage.
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string', short: 'f' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
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
    else if (token.kind === 'option' && !['file', 'json', 'help', 'accept-new-host-key'].includes(token.name)) {
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
  const command =
    commands.find((c) => rest.length >= 2 && c.name === `${rest[0]} ${rest[1]}`) ??
    commands.find((c) => c.name === rest[0]);
  if (values.help === true || rest.length === 0) {
    io.out(helpText(commands));
    return rest.length === 0 && values.help !== true ? 2 : 0;
  }
  if (command === undefined) {
    io.err(`qemu-lab: unknown command "${rest[0]}". Run qemu-lab --help for the list.\n`);
    return 2;
  }
  const args = rest.slice(command.name.split(' ').length);
  try {
    return await command.run(args, global, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`qemu-lab: ${error.message}\nUsage: qemu-lab ${command.usage}\n`);
      return 2;
    }
    io.err(`qemu-lab: error: ${describeError(error)}\n`);
    return 1;
  }
}
