import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { exampleLabText } from '../../../extension/core/lab/example';
import { mutated } from '../../support/fuzz';

const fixtures = join(__dirname, '../../fixtures/lab');

/** Whole lab files to mutate: the example, and the fixtures with every key and ten mistakes. */
export const SEED_LABS: readonly string[] = [
  exampleLabText,
  readFileSync(join(fixtures, 'full.qemu-lab.yaml'), 'utf8'),
  readFileSync(join(fixtures, 'ten-mistakes.qemu-lab.yaml'), 'utf8'),
];

/** Words and punctuation lab files are made of, for texts that look almost like one. */
const TOKENS = [
  'hosts', 'networks', 'vms', 'experiments', 'migrations', 'vm1', 'vm2', 'lab-b', 'local', 'lan', 'user',
  'kind', 'ssh', 'address', 'host', 'image', 'builtin', 'cpus', 'memory', 'accel', 'kvm', 'tcg', 'auto',
  'machine', 'q35', 'nic', 'virtio', 'e1000', 'network', 'sshPort', 'vnc', 'extraArgs', 'vm', 'matrix',
  'targets', 'benchmarks', 'repetitions', 'to', 'capabilities', 'multifd', '1G', '512M', '2222', 'true',
  ':', ': ', ' ', '  ', '- ', '-', '[', ']', '{', '}', ', ', ',', '#', ' # c', '"', "'", '&a ', '*a', '<<: ',
  '|', '>', '?', '!tag ', '~', '\t', '\r', 'é', '😀', '\u0000', '---', '...',
];

/** A text of lab-ish lines: indentation, then tokens. */
export const labishText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 })), { maxLength: 30 })
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((newline) => lines.map(([indent, tokens]) => ' '.repeat(indent) + tokens.join('')).join(newline)));

/** A seed lab with a few random edits: what a user's file looks like while typing. */
export const editedLab: fc.Arbitrary<string> = mutated(SEED_LABS, 6, TOKENS);

/** Any text at all: lab-ish, an edited lab, or random characters (binary junk included). */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: editedLab, weight: 4 },
  { arbitrary: labishText, weight: 4 },
  { arbitrary: fc.string({ maxLength: 200, unit: 'binary' }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
);
