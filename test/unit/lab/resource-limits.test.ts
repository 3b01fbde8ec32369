import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { MAX_ALIASES, MAX_NESTING_DEPTH } from '../../../extension/core/lab/read-yaml';
import { hostileLabTexts } from '../../support/hostile-lab-texts';
import { type CliRun, runProcessCollecting } from '../../support/run-cli';

/** Heap the parse of a hostile 1 MiB text must fit in. Unguarded, the YAML parser needed ~0.6–1 GB. */
const HEAP_MB = 160;

function parseInSmallHeap(kind: string): Promise<CliRun> {
  const script = join(__dirname, 'parse-child.ts');
  const root = join(__dirname, '../../..');
  return runProcessCollecting([process.execPath, `--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', script, kind], { cwd: root });
}

const expected: Record<string, string> = {
  'flow lists': 'too-deep',
  'flow mappings': 'too-deep',
  'flow lists hidden behind quoted closers': 'too-deep',
  'compact block lists': 'too-deep',
  'block mappings': 'too-deep',
  aliases: 'too-many-aliases',
};

describe('hostile lab files are refused within bounded memory', () => {
  for (const kind of Object.keys(hostileLabTexts)) {
    // The bound is ~10x a loaded machine's figure: this checks for a hang, the heap checks the cost.
    it(`${kind}, read by the CLI and by the language server`, { timeout: 120_000 }, async () => {
      const run = await parseInSmallHeap(kind);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ cli: [expected[kind]], server: [expected[kind]] });
    });
  }
});

describe('the limits are named in the diagnostic', () => {
  it('says how deep QEMU Lab reads', () => {
    const [problem] = parseLabText('['.repeat(MAX_NESTING_DEPTH + 1), 'deep.yaml').diagnostics;
    expect(problem?.code).toBe('too-deep');
    expect(problem?.message).toContain(`at most ${MAX_NESTING_DEPTH}`);
    expect(problem?.span.offset).toBe(MAX_NESTING_DEPTH);
  });

  it('refuses one alias over the limit, at that alias, and says the limit', () => {
    const text = `a: &x 1\nb: [${Array(MAX_ALIASES + 1).fill('*x').join(', ')}]\n`;
    const [problem] = parseLabText(text, 'aliases.yaml').diagnostics;
    expect(problem?.code).toBe('too-many-aliases');
    expect(problem?.message).toContain(`at most ${MAX_ALIASES} aliases`);
    expect(problem?.span.offset).toBe(text.lastIndexOf('*x'));
  });

  it('accepts as many aliases as the limit', () => {
    const text = `a: &x 1\nb: [${Array(MAX_ALIASES).fill('*x').join(', ')}]\n`;
    expect(parseLabText(text, 'aliases.yaml').diagnostics.map((d) => d.code)).not.toContain('too-many-aliases');
  });

  it('is not fooled by brackets, asterisks and hashes inside scalars and comments', () => {
    const brackets = '['.repeat(200);
    const text = [
      `# ${brackets}`,
      `a: "${brackets}"`,
      `b: '${brackets}'`,
      `c: x${brackets}`,
      `d: "*x *y"`,
      `e: a*b`,
      `f: |`,
      `  *z ${brackets}`,
      ...Array.from({ length: MAX_ALIASES + 5 }, (_, i) => `# *x ${i}`),
    ].join('\n');
    const codes = parseLabText(text, 'scalars.yaml').diagnostics.map((d) => d.code);
    expect(codes).not.toContain('too-deep');
    expect(codes).not.toContain('too-many-aliases');
  });
});
