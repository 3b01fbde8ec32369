import { describe, expect, it } from 'vitest';
import { cliCommands } from '../../../extension/cli/command-list';
import { completeWords, completionOutput, labNames } from '../../../extension/cli/complete';
import { parseLabText } from '../../../extension/core/lab/parse';

const complete = (...words: string[]) => completeWords(cliCommands, words);
const words = (...typed: string[]) => {
  const answer = complete(...typed);
  if (answer.kind !== 'words') throw new Error(`expected words, got ${answer.kind}`);
  return answer.words;
};

describe('completion of the real CLI', () => {
  it('offers the commands people use (not internal), starting with what is typed', () => {
    expect(words('')).toEqual(['init', 'check', 'guest', 'up', 'down', 'pause', 'resume', 'reset', 'kill', 'status', 'ssh', 'qmp', 'snapshot', 'migrate', 'colo', 'hosts', 'adopt', 'qemu', 'bench', 'run', 'report', 'import', 'completion']);
    expect(words('qemu', '')).toEqual(['install', 'list']);
    expect(words('c')).toEqual(['check', 'colo', 'completion']);
    expect(words('colo', '')).toEqual(['up', 'status', 'failover', 'down']);
    expect(words('frobnicate', '')).toEqual([]);
  });

  it('offers global options before a command and the command\'s own after it', () => {
    expect(words('--')).toEqual(['--file', '--json', '--accept-new-host-key', '--help', '--version']);
    expect(words('up', 'vm1', '--')).toEqual(['--file', '--json', '--accept-new-host-key', '--help', '--version', '--exec', '--down', '--timeout']);
    expect(words('colo', 'up', 'vm1', '--on')).toEqual(['--on-hang']);
  });

  it('asks for lab names where the spec says what an operand or option value names', () => {
    expect(complete('up', 'v')).toEqual({ kind: 'lab-names', what: 'vm', labFile: undefined, prefix: 'v' });
    expect(complete('-f', 'lab2.yaml', 'ssh', '')).toEqual({ kind: 'lab-names', what: 'vm', labFile: 'lab2.yaml', prefix: '' });
    expect(complete('--file=x.yaml', 'bench', 'k')).toEqual({ kind: 'lab-names', what: 'experiment', labFile: 'x.yaml', prefix: 'k' });
    expect(complete('migrate', 'vm1', '--to', '')).toEqual({ kind: 'lab-names', what: 'host', labFile: undefined, prefix: '' });
    expect(complete('migrate', '--name', 'm')).toEqual({ kind: 'lab-names', what: 'migration', labFile: undefined, prefix: 'm' });
    expect(complete('colo', 'failover', '')).toMatchObject({ kind: 'lab-names', what: 'vm' });
  });

  it('names only the first operand (qmp VM COMMAND), and nothing after --', () => {
    expect(words('qmp', 'vm1', '')).toEqual([]);
    expect(words('up', 'vm1', '')).toEqual([]);
    expect(words('ssh', 'vm1', '--', '')).toEqual([]);
    expect(words('ssh', 'vm1', '--', '--')).toEqual([]);
  });

  it('offers the words of a value list and hands files to the shell', () => {
    expect(words('colo', 'up', 'vm1', '--on-hang', '')).toEqual(['kill', 'failover']);
    expect(words('report', '--format', 'c')).toEqual(['csv']);
    expect(words('completion', '')).toEqual(['bash', 'zsh']);
    expect(complete('-f', '')).toEqual({ kind: 'files' });
    expect(complete('report', '-o', '')).toEqual({ kind: 'files' });
    expect(complete('import', 'a.txt', '')).toEqual({ kind: 'files' });
    // A value that is free text has nothing to offer, and does not count as an operand.
    expect(words('up', '--timeout', '')).toEqual([]);
    expect(complete('up', '--timeout', '30', '')).toMatchObject({ kind: 'lab-names', what: 'vm' });
  });
});

describe('lab names and the output the scripts read', () => {
  it('reads each kind of name from a lab model in file order', () => {
    const { lab } = parseLabText(
      ['hosts:', '  local: { kind: local }', '  b: { address: 10.0.0.2 }', 'vms:', '  web: {}', '  db: {}', 'experiments:', '  e1: { vm: web, benchmarks: [sysbench-cpu] }', 'migrations:', '  m1: { vm: web, to: b }', ''].join('\n'),
      '/lab/qemu-lab.yaml',
    );
    if (lab === undefined) throw new Error('the lab did not parse');
    expect(labNames(lab, 'vm')).toEqual(['web', 'db']);
    expect(labNames(lab, 'host')).toEqual(['local', 'b']);
    expect(labNames(lab, 'experiment')).toEqual(['e1']);
    expect(labNames(lab, 'migration')).toEqual(['m1']);
  });

  it('prints the kind, then a word a line, leaving out words a line cannot carry', () => {
    expect(completionOutput({ kind: 'files' })).toBe('files\n');
    expect(completionOutput({ kind: 'words', words: ['vm1', 'a b', 'x\ny', 'esc\u001b', '', 'vm2'] })).toBe('words\nvm1\nvm2\n');
  });
});
