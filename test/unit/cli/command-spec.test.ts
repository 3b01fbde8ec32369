import { describe, expect, it } from 'vitest';
import { defineCommand, defineGroup, findCommand, secondsOption } from '../../../extension/cli/command-spec';
import { commandRows, optionList, usageLine } from '../../../extension/cli/help';
import { UsageError, type CliIo } from '../../../extension/cli/io';
import { runCli } from '../../../extension/cli/main';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false, env: {}, cwd: '/work/lab', signal: new AbortController().signal };
}

const seen: { vm: string | undefined; hang: string | undefined; watch: boolean | undefined }[] = [];

const up = defineCommand({
  name: 'up',
  operands: { synopsis: 'VM', count: 1, what: 'VM name' },
  options: {
    watch: { help: 'stay as the heartbeat' },
    'on-hang': { value: 'kill|failover', help: 'what a hung checkpoint does:\nkill both, or fail over' },
  },
  summary: 'set up the pair',
  async run({ values, positionals }) {
    seen.push({ vm: positionals[0], hang: values['on-hang'], watch: values.watch });
    return 0;
  },
});
const down = defineCommand({ name: 'down', operands: { synopsis: 'VM', count: 1, what: 'VM name' }, summary: 'forget the pair', run: async () => 0 });
const colo = defineGroup({ name: 'colo', summary: 'COLO pairs', subcommands: [up, down] });
const status = defineCommand({ name: 'status', noOperandsHint: 'name the file with -f', summary: 'every VM', run: async () => 0 });

describe('command specs', () => {
  it('generates usage lines from operands and options, with the group\'s words', () => {
    expect(usageLine('colo', up)).toBe('colo up VM [--watch] [--on-hang kill|failover]');
    expect(usageLine('', status)).toBe('status');
    expect(commandRows([status, colo]).map((r) => r.words)).toEqual(['status', 'colo up', 'colo down']);
  });

  it('lists options aligned, continuation lines under their first', () => {
    expect(optionList('colo', up)).toBe(
      ['Options of colo up:', '  --watch                  stay as the heartbeat', '  --on-hang kill|failover  what a hung checkpoint does:', '                           kill both, or fail over'].join('\n'),
    );
  });

  it('finds a group\'s command by its words, or the group when the second word is not one', () => {
    expect(findCommand([status, colo], ['colo', 'up', 'vm1'])).toMatchObject({ found: up, path: 'colo', used: 2 });
    expect(findCommand([status, colo], ['colo', 'sideways'])).toMatchObject({ found: colo, path: '', used: 1 });
    expect(findCommand([status, colo], ['frobnicate'])).toBeUndefined();
  });

  it('parses the options a spec declares and hands them to run', async () => {
    seen.length = 0;
    expect(await runCli(['colo', 'up', 'vm1', '--on-hang', 'failover', '--watch'], [colo], capture())).toBe(0);
    expect(seen).toEqual([{ vm: 'vm1', hang: 'failover', watch: true }]);
  });

  it('refuses wrong words with exit 2, the generated message and usage', async () => {
    const io = capture();
    expect(await runCli(['colo', 'up'], [colo], io)).toBe(2);
    expect(io.stderr.join('')).toBe('qemu-lab: colo up takes exactly one VM name.\nUsage: qemu-lab colo up VM [--watch] [--on-hang kill|failover]\n');
    io.stderr.length = 0;
    expect(await runCli(['colo', 'up', 'vm1', '--bogus'], [colo], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/^qemu-lab: Unknown option '--bogus'[^]*Usage: qemu-lab colo up VM/);
    io.stderr.length = 0;
    expect(await runCli(['status', 'x'], [status], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/^qemu-lab: status takes no arguments \(got "x"\); name the file with -f\./);
  });

  it('suggests the closest command, subcommand or option for a misspelt one', async () => {
    const io = capture();
    expect(await runCli(['stauts'], [status, colo], io)).toBe(2);
    expect(io.stderr.join('')).toBe('qemu-lab: unknown command "stauts" (did you mean "status"?). Run qemu-lab --help for the list.\n');
    io.stderr.length = 0;
    expect(await runCli(['colo', 'dwon', 'vm1'], [status, colo], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/^qemu-lab: colo has no subcommand "dwon" \(did you mean "down"\?\); it takes: up, down\.\n/);
    io.stderr.length = 0;
    expect(await runCli(['colo', 'up', 'vm1', '--on-hnag', 'kill'], [status, colo], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/^qemu-lab: Unknown option '--on-hnag'; did you mean --on-hang\?\nUsage: qemu-lab colo up VM/);
    io.stderr.length = 0;
    expect(await runCli(['colo', 'up', 'vm1', '--zzz'], [status, colo], io)).toBe(2);
    expect(io.stderr.join('')).not.toContain('did you mean');
  });

  it('says which subcommands a group takes', async () => {
    const io = capture();
    expect(await runCli(['colo'], [colo], io)).toBe(2);
    expect(io.stderr.join('')).toBe('qemu-lab: colo takes a subcommand: up, down.\nSubcommands of colo:\n  colo up    set up the pair\n  colo down  forget the pair\n');
  });

  it('prints help for the whole CLI, a group or one command', async () => {
    const io = capture();
    expect(await runCli(['--help'], [status, colo], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/Commands:\n {2}status {5}every VM\n {2}colo up {4}set up the pair\n {2}colo down {2}forget the pair\n/);
    io.stdout.length = 0;
    expect(await runCli(['colo', 'up', '--help'], [status, colo], io)).toBe(0);
    expect(io.stdout.join('')).toBe(`Usage: qemu-lab colo up VM [--watch] [--on-hang kill|failover]\n\nset up the pair.\n\n${optionList('colo', up)}\n`);
    io.stdout.length = 0;
    expect(await runCli(['colo', '-h'], [status, colo], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/^COLO pairs\.\n\nCommands:\n {2}colo up {4}set up the pair\n/);
  });

  it('shows examples and the forms of a usage, one per line', async () => {
    const report = defineCommand({
      name: 'report',
      usage: ['report [EXPERIMENT]', 'report --migrations [VM]'],
      operands: { synopsis: '[EXPERIMENT]', count: 'any' },
      options: { migrations: { help: 'm' } },
      summary: 'write it',
      example: ['qemu-lab report e1', 'qemu-lab report --migrations'],
      run: async () => 0,
    });
    const io = capture();
    expect(await runCli(['report', '-h'], [report], io)).toBe(0);
    expect(io.stdout.join('')).toBe(
      'Usage: qemu-lab report [EXPERIMENT]\n       qemu-lab report --migrations [VM]\n\nwrite it.\n\nOptions of report:\n  --migrations  m\n\nExamples:\n  qemu-lab report e1\n  qemu-lab report --migrations\n',
    );
  });

  it('wraps a long usage under its first operand and long summaries under their start', async () => {
    const long = defineCommand({
      name: 'bench',
      operands: { synopsis: 'EXPERIMENT', count: 1 },
      options: { repetitions: { value: 'N', help: 'r' }, duration: { value: 'SECONDS', help: 'd' }, 'on-hang': { value: 'kill|failover', help: 'h' }, interval: { value: 'S', help: 'i' } },
      summary: 'run an experiment of the lab file for real, printing each cell as it finishes, storing every run',
      run: async () => 0,
    });
    const io = capture();
    await runCli(['bench', '--help'], [long], io);
    expect(io.stdout.join('')).toMatch(/^Usage: qemu-lab bench EXPERIMENT \[--repetitions N\] \[--duration SECONDS\]\n {22}\[--on-hang kill\|failover\] \[--interval S\]\n/);
    io.stdout.length = 0;
    await runCli(['--help'], [status, long], io);
    expect(io.stdout.join('')).toContain('  status  every VM\n  bench   run an experiment of the lab file for real, printing each cell as it\n          finishes, storing every run\n');
  });

  it('reads seconds options as milliseconds and refuses what is not a positive number', () => {
    expect(secondsOption(undefined, '--timeout', 30_000)).toBe(30_000);
    expect(secondsOption('2.5', '--timeout', 30_000)).toBe(2_500);
    expect(() => secondsOption('0', '--timeout', 30_000)).toThrow(UsageError);
    expect(() => secondsOption('soon', '--interval', 500)).toThrow('--interval takes a number of seconds.');
  });
});
