import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellJoin } from '../../../extension/core/infrastructure/hosts/transports/quote';
import { runProcessCollecting } from '../../support/run-cli';

// The bash completion script, loaded into a real bash, asking the real CLI (dist/cli.js) through
// a `qemu-lab` on PATH, as a user's shell does on Tab.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const dir = join(root, 'completion');
const bin = join(dir, 'bin');
const cliPath = join(__dirname, '../../../dist/cli.js');

beforeAll(() => {
  expect(root, 'the integration global setup must set QEMU_LAB_TEST_ROOT').not.toBe('');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'qemu-lab'), `#!/bin/sh\nexec ${shellJoin([process.execPath, cliPath])} "$@"\n`);
  chmodSync(join(bin, 'qemu-lab'), 0o755);
  writeFileSync(
    join(dir, 'qemu-lab.yaml'),
    ['hosts:', '  local: { kind: local }', '  lab-b: { address: 10.0.0.2 }', 'vms:', '  web: {}', '  db: {}', 'experiments:', '  kvm-vs-tcg: { vm: web, benchmarks: [sysbench-cpu] }', 'migrations:', '  move-web: { vm: web, to: lab-b }', ''].join('\n'),
  );
  writeFileSync(join(dir, 'other.qemu-lab.yaml'), ['vms:', '  solo: {}', ''].join('\n'));
  writeFileSync(join(dir, 'cpu-run1.txt'), 'events per second: 1.0\n');
});

/** Runs `script` in a bash without the user's rc files, in the lab's folder, with our `qemu-lab` first on PATH. */
function bash(script: string) {
  return runProcessCollecting(['bash', '--norc', '--noprofile', '-c', script], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
}

/** A bash function that sets COMP_WORDS as bash does for the words typed, calls the completion, and prints COMPREPLY then `--`. */
const REPLY = 'reply() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _qemu_lab; for w in "${COMPREPLY[@]}"; do printf "%s\\n" "$w"; done; echo --; }';

describe('qemu-lab completion, in a real bash and zsh', () => {
  it('registers itself for qemu-lab and completes commands, options and the lab file\'s names', async () => {
    const run = await bash(
      [
        'source <(qemu-lab completion bash)',
        'complete -p qemu-lab',
        REPLY,
        "reply qemu-lab c",
        "reply qemu-lab colo ''",
        "reply qemu-lab up ''",
        "reply qemu-lab ssh d",
        "reply qemu-lab -f other.qemu-lab.yaml ssh ''",
        "reply qemu-lab migrate web --to ''",
        "reply qemu-lab migrate --name ''",
        "reply qemu-lab bench ''",
        "reply qemu-lab colo up web --on-hang ''",
        "reply qemu-lab up web --d",
        "reply qemu-lab import cpu",
      ].join('\n'),
    );
    expect(run.code, run.stderr).toBe(0);
    const [registration = '', ...rest] = run.stdout.split('\n');
    expect(registration).toBe('complete -F _qemu_lab qemu-lab');
    const replies = rest.join('\n').split('--\n').map((block) => block.split('\n').filter((l) => l !== ''));
    expect(replies.slice(0, 11)).toEqual([
      ['check', 'colo', 'completion'],
      ['up', 'status', 'failover', 'down'],
      ['web', 'db'],
      ['db'],
      ['solo'],
      ['local', 'lab-b'],
      ['move-web'],
      ['kvm-vs-tcg'],
      ['kill', 'failover'],
      ['--down'],
      ['cpu-run1.txt'],
    ]);
  });

  it('offers no names when the lab file is missing or broken', async () => {
    writeFileSync(join(dir, 'broken.qemu-lab.yaml'), 'vms: [\n');
    const run = await bash([`source <(qemu-lab completion bash)`, REPLY, "reply qemu-lab -f broken.qemu-lab.yaml up ''", "reply qemu-lab -f missing.yaml up ''"].join('\n'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('--\n--\n');
  });

  it('zsh: registers with compinit and hands the same answers to compadd and _files, in a real zsh', async () => {
    // compadd and _files work only inside a completion widget; outside one, functions of the same
    // name record what the script hands them (words and CURRENT are plain variables there).
    const script = [
      'autoload -Uz compinit; compinit -u -D',
      'source <(qemu-lab completion zsh)',
      'print -r -- "registered: $_comps[qemu-lab]"',
      'compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; print -- --; }',
      '_files() { print -- FILES; print -- --; }',
      'reply() { words=("$@"); CURRENT=$#; _qemu_lab; }',
      "reply qemu-lab co",
      "reply qemu-lab -f other.qemu-lab.yaml ssh ''",
      "reply qemu-lab migrate web --to l",
      "reply qemu-lab report -o ''",
    ].join('\n');
    const run = await runProcessCollecting(['zsh', '-f', '-c', script], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(['registered: _qemu_lab', 'colo', 'completion', '--', 'solo', '--', 'local', 'lab-b', '--', 'FILES', '--', ''].join('\n'));
  });

  it('refuses a shell it has no script for', async () => {
    const wrong = await runProcessCollecting([process.execPath, cliPath, 'completion', 'fish']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('completion knows bash and zsh, not "fish"');
  });
});
