import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VmError } from '../../../extension/core/errors';
import { defineCommand, defineGroup, type CommandInput, type LeafCommand, type OptionSpecs } from '../../../extension/cli/command-spec';
import { UsageError, type CliIo, type GlobalOptions } from '../../../extension/cli/io';
import { runCli } from '../../../extension/cli/main';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    isTty: false,
    env: {},
    cwd: '/work/lab',
    signal: new AbortController().signal,
  };
}

const RECORDED_OPTIONS = { force: { help: 'f' }, exec: { value: 'CMD', help: 'e' }, timeout: { value: 'S', help: 't' } } satisfies OptionSpecs;

function recorder(name: string, result: () => Promise<number>): LeafCommand & { calls: { input: CommandInput<typeof RECORDED_OPTIONS>; global: GlobalOptions }[] } {
  const calls: { input: CommandInput<typeof RECORDED_OPTIONS>; global: GlobalOptions }[] = [];
  const command = defineCommand({ name, operands: { synopsis: 'X', count: 'any' }, options: RECORDED_OPTIONS, summary: 's', run: (input, global) => (calls.push({ input, global }), result()) });
  return { ...command, calls };
}

describe('runCli', () => {
  it('prints its version with --version or -V, and runs no command', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const up = recorder('up', async () => 0);
      const io = capture();
      expect(await runCli([flag, 'up', 'vm1'], [up], io)).toBe(0);
      expect(io.stdout.join('')).toBe(`qemu-lab ${version}\n`);
      expect(up.calls).toEqual([]);
    }
  });

  it('dispatches two-word commands and takes global options anywhere', async () => {
    const build = recorder('build', async () => 0);
    const io = capture();
    expect(await runCli(['guest', '--json', 'build', '--force', '-f', 'x.qemu-lab.yaml'], [defineGroup({ name: 'guest', summary: 'g', subcommands: [build] })], io)).toBe(0);
    expect(build.calls[0]?.input).toEqual({ values: { force: true }, positionals: [] });
    expect(build.calls[0]?.global).toEqual({ file: '/work/lab/x.qemu-lab.yaml', json: true, acceptNewHostKey: false });
  });

  it('passes command options with values and everything after -- through in order', async () => {
    const up = recorder('up', async () => 0);
    await runCli(['up', 'vm1', '--exec', 'uname -a', '--timeout=30', '--', '-f', 'ls'], [up], capture());
    expect(up.calls[0]?.input).toEqual({ values: { exec: 'uname -a', timeout: '30' }, positionals: ['vm1', '-f', 'ls'] });
    expect(up.calls[0]?.global.file).toBe('/work/lab/qemu-lab.yaml');
  });

  it('prints the error with its hint and exits 1', async () => {
    const io = capture();
    const failing = recorder('down', async () => {
      throw new VmError('VM "vm1" is not running.', { hint: 'Start it with qemu-lab up vm1.' });
    });
    expect(await runCli(['down', 'vm1'], [failing], io)).toBe(1);
    expect(io.stderr.join('')).toBe('qemu-lab: error: VM "vm1" is not running.\n  Start it with qemu-lab up vm1.\n');
  });

  it('exits 2 with the usage for wrong words and unknown commands', async () => {
    const io = capture();
    const picky = recorder('up', async () => {
      throw new UsageError('up takes exactly one VM name.');
    });
    expect(await runCli(['up'], [picky], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/Usage: qemu-lab up X/);
    expect(await runCli(['frobnicate'], [picky], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/unknown command "frobnicate"/);
  });
});
