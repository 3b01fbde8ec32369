import { describe, expect, it } from 'vitest';
import { cliCommands } from '../../../extension/cli/command-list';
import { findCommand, joined, type CliCommand, type LeafCommand } from '../../../extension/cli/command-spec';
import { columns, HELP_COLUMNS, wrapWords } from '../../../extension/cli/help';
import type { CliIo } from '../../../extension/cli/io';
import { runCli } from '../../../extension/cli/main';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false, env: {}, cwd: '/work/lab', signal: new AbortController().signal };
}

/** Every command and group of the real CLI with its words, hidden ones included. */
function everyCommand(commands: readonly CliCommand[], path = ''): { readonly words: string; readonly command: CliCommand; readonly hidden: boolean }[] {
  return commands.flatMap((c) => {
    const words = joined(path, c.name);
    const self = { words, command: c, hidden: c.kind === 'group' && c.hidden };
    return c.kind === 'group' ? [self, ...everyCommand(c.subcommands, words).map((inner) => ({ ...inner, hidden: inner.hidden || self.hidden }))] : [self];
  });
}

/** The words of a command line as a POSIX shell splits them, up to a redirection (quotes only: what the examples use). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '>' || char === '|') {
      // A redirection or pipe ends the command's own words.
      break;
    } else if (char === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + char;
  }
  if (quote !== undefined) throw new Error(`unclosed quote in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

function longLines(text: string): string[] {
  return text.split('\n').filter((line) => columns(line) > HELP_COLUMNS);
}

const commands = everyCommand(cliCommands);

describe('help of the real CLI, laid out for 80 columns', () => {
  it('qemu-lab --help has no line over 80 columns and names every command people use', async () => {
    const io = capture();
    expect(await runCli(['--help'], cliCommands, io)).toBe(0);
    const text = io.stdout.join('');
    expect(longLines(text)).toEqual([]);
    for (const { words, command, hidden } of commands) {
      if (command.kind === 'command') {
        if (hidden) expect(text).not.toContain(`  ${words} `);
        else expect(text).toMatch(new RegExp(`^ {2}${words}( |$)`, 'm'));
      }
    }
  });

  it.each(commands.map((c) => [c.words, c] as const))('qemu-lab %s --help is its own help, within 80 columns', async (words, { command }) => {
    const io = capture();
    expect(await runCli([...words.split(' '), '--help'], cliCommands, io)).toBe(0);
    const text = io.stdout.join('');
    expect(longLines(text)).toEqual([]);
    expect(text).not.toMatch(/^qemu-lab — run QEMU labs/);
    if (command.kind === 'command') {
      expect(text).toMatch(new RegExp(`^Usage: qemu-lab ${words}( |\\n)`));
      expect(text).toContain(`${command.summary}`.split(' ').slice(0, 3).join(' '));
      for (const name of Object.keys(command.options)) expect(text).toContain(`--${name}`);
    } else {
      for (const sub of command.subcommands) expect(text).toContain(`  ${words} ${sub.name}`);
    }
  });

  it.each(commands.filter((c) => c.command.kind === 'command').map((c) => [c.words] as const))(
    'a wrong option to %s exits 2 with a usage within 80 columns',
    async (words) => {
      const io = capture();
      expect(await runCli([...words.split(' '), '--no-such-option'], cliCommands, io)).toBe(2);
      const [, ...usage] = io.stderr.join('').split('\n');
      expect(usage[0]).toMatch(new RegExp(`^Usage: qemu-lab ${words}`));
      expect(longLines(usage.join('\n'))).toEqual([]);
    },
  );

  it.each(commands.filter((c) => c.command.kind === 'command' && !c.hidden).map((c) => [c.words, c.command as LeafCommand] as const))(
    '%s has examples that name it and that its own parser takes',
    (words, command) => {
      expect(command.examples.length).toBeGreaterThan(0);
      for (const example of command.examples) {
        expect(columns(`  ${example}`)).toBeLessThanOrEqual(HELP_COLUMNS);
        const [program, ...argv] = shellWords(example);
        expect(program).toBe('qemu-lab');
        // Global options may come first, as a user types them.
        let at = 0;
        while (argv[at]?.startsWith('-') === true) at += argv[at] === '-f' ? 2 : 1;
        const found = findCommand(cliCommands, argv.slice(at));
        expect(found?.found, example).toBe(command);
        expect(() => command.parse(argv.slice(at + (found?.used ?? 0)), found?.path), example).not.toThrow();
      }
    },
  );
});

describe('wrapWords', () => {
  it('fills words into lines of the width, keeps hard breaks, and never splits a word', () => {
    expect(wrapWords('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapWords('aa bb\ncc', 80)).toEqual(['aa bb', 'cc']);
    expect(wrapWords('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
    expect(wrapWords('ü — …', 5)).toEqual(['ü — …']);
  });
});
