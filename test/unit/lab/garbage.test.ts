import { describe, expect, it } from 'vitest';
import type { LabDiagnostic } from '../../../extension/core/lab/diagnostic';
import { exampleLabText } from '../../../extension/core/lab/example';
import { parseLabText } from '../../../extension/core/lab/parse';

/** A small deterministic PRNG, so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(seed: number, length: number, alphabet?: string): string {
  const next = random(seed);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += alphabet === undefined ? String.fromCharCode(Math.floor(next() * 256)) : (alphabet[Math.floor(next() * alphabet.length)] ?? '');
  }
  return text;
}

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

/** Parses without throwing, and checks every diagnostic is well formed. */
function parseSafely(text: string): ReturnType<typeof parseLabText> {
  let result: ReturnType<typeof parseLabText> | undefined;
  expect(() => {
    result = parseLabText(text, 'junk.yaml');
  }).not.toThrow();
  for (const d of result?.diagnostics ?? []) expectWellFormed(d, text);
  return result as ReturnType<typeof parseLabText>;
}

function expectWellFormed(d: LabDiagnostic, text: string): void {
  expect(d.path).toBe('junk.yaml');
  expect(d.message.length).toBeGreaterThan(0);
  expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  expect(d.span.line).toBeGreaterThanOrEqual(1);
  expect(d.span.column).toBeGreaterThanOrEqual(1);
  expect(d.span.endLine).toBeGreaterThanOrEqual(d.span.line);
  expect(d.span.offset).toBeGreaterThanOrEqual(0);
  expect(d.span.endOffset).toBeGreaterThanOrEqual(d.span.offset);
  expect(d.span.endOffset).toBeLessThanOrEqual(Math.max(text.length, 0));
}

function codes(result: ReturnType<typeof parseLabText>): string[] {
  return result.diagnostics.map((d) => d.code);
}

describe('garbage in never throws, and always says why', () => {
  it.each([
    ['random bytes', randomText(1, 4096), 'not-text'],
    ['random printable text', randomText(2, 4096, 'ab: -[]{}&*!|>\'"#,?\n  '), undefined],
    ['an unclosed flow list', '[', 'yaml-syntax'],
    ['a list at top level', '- a', 'not-a-mapping'],
    ['a plain string', 'hello', 'not-a-mapping'],
    ['a number', '42', 'not-a-mapping'],
    ['a NUL byte', 'vms:\n  vm1: {}\0\n', 'not-text'],
    ['a billion laughs', billionLaughs, 'alias-bomb'],
    ['a billion laughs inside a VM', `x:\n${billionLaughs.replace(/^/gm, '  ')}\nvms:\n  vm1: { extraArgs: *i }`, 'alias-bomb'],
    ['5000 nested flow lists', '['.repeat(5000) + ']'.repeat(5000), 'too-deep'],
    ['5000 unclosed flow lists', '['.repeat(5000), 'too-deep'],
    ['100000 nested flow mappings', '{a: '.repeat(100_000) + '}'.repeat(100_000), 'too-deep'],
    ['5000 nested block lists', '- '.repeat(5000) + 'x', 'too-deep'],
    ['deep block mappings', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'), 'too-deep'],
    ['a 10 MB string', `vms:\n  vm1: { image: "${'x'.repeat(10 * 1024 * 1024)}" }\n`, 'file-too-large'],
    ['tabs for indentation', 'vms:\n\tvm1: {}\n', 'yaml-syntax'],
    ['two documents', 'vms: {}\n---\nvms: {}\n', 'multiple-documents'],
    ['an undefined alias', 'vms:\n  vm1: *nothing\n', 'undefined-alias'],
    ['a recursive alias', 'vms: &v\n  vm1: *v\n', 'alias-cycle'],
    ['a key that is a list', '? [a, b]\n: 1\n', 'wrong-type'],
    ['a custom tag', 'vms:\n  vm1: !secret { cpus: 1 }\n', 'yaml-warning'],
  ])('%s', (_name, text, code) => {
    const result = parseSafely(text);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    if (code !== undefined) expect(codes(result)).toContain(code);
  });

  it('refuses a merge-key chain that would copy absurdly many entries', () => {
    const lines = ['m0: &m0 { k0: 1 }'];
    for (let i = 1; i < 2000; i++) lines.push(`m${i}: &m${i} { <<: *m${i - 1}, k${i}: 1 }`);
    const result = parseSafely(lines.join('\n'));
    expect(codes(result)).toContain('alias-bomb');
    expect(result.lab).toBeUndefined();
  });

  it('gives no model when the text is not a usable mapping', () => {
    for (const text of ['[', '- a', billionLaughs, '['.repeat(5000), randomText(3, 1000)]) {
      expect(parseSafely(text).lab).toBeUndefined();
    }
  });

  it('an empty file, or one of comments only, is an empty lab with a warning', () => {
    for (const text of ['', '\n\n', '# nothing yet\n', '\uFEFF']) {
      const result = parseSafely(text);
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning empty-file']);
      expect([...(result.lab?.hosts.keys() ?? [])]).toEqual(['local']);
    }
  });

  it('survives a thousand random mutations of the example', () => {
    const next = random(42);
    const alphabet = ':-[]{}&*!|>#,? \n\t"\'x0';
    for (let round = 0; round < 1000; round++) {
      let text = exampleLabText;
      const edits = 1 + Math.floor(next() * 5);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * text.length);
        const cut = Math.floor(next() * 4);
        const insert = next() < 0.7 ? (alphabet[Math.floor(next() * alphabet.length)] ?? '') : '';
        text = text.slice(0, at) + insert + text.slice(at + cut);
      }
      parseSafely(text);
    }
  }, 60_000); // Thousands of parses: seconds on a loaded 2-core machine, not a speed test.

  it('converts a non-string argument instead of throwing', () => {
    expect(() => parseLabText(undefined as unknown as string, 'junk.yaml')).not.toThrow();
  });
});

describe('large lab files stay fast', () => {
  // Catches accidental quadratic work (8000 x 8000). The bound is on this process's CPU time, so
  // other work on the machine does not count: it costs about 4 s (26-33 s of wall time with the
  // machine shared 7 ways); the bound is ~10x that, the test's timeout a hang on a loaded machine.
  it('a megabyte of hosts and VMs with broken references', { timeout: 240_000 }, () => {
    const lines = ['hosts:'];
    for (let i = 0; i < 8000; i++) lines.push(`  host-${i}: { kind: ssh, address: 10.0.${i % 250}.1 }`);
    lines.push('vms:');
    for (let i = 0; i < 8000; i++) lines.push(`  vm-${i}: { host: hots-${i}, network: lan${i}, sshPort: 2222, accel: kvmm }`);
    const text = lines.join('\n');
    expect(text.length).toBeLessThan(1024 * 1024);
    const cpu = process.cpuUsage();
    const result = parseLabText(text, 'big.yaml');
    const spent = process.cpuUsage(cpu);
    expect((spent.user + spent.system) / 1000).toBeLessThan(40_000);
    expect(result.lab?.vms.size).toBe(8000);
    expect(result.diagnostics.filter((d) => d.code === 'undefined-host')).toHaveLength(8000);
  });
});
