import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import type { MarkupContent } from 'vscode-languageserver';
import { hoverAt } from '../../../extension/server/hover-provider';
import { analysisAt } from '../server/helpers';

const lab = (value: string) => `vms:\n  vm1: {}\nexperiments:\n  e: { vm: vm1, fromSnapshot: ${value} }\n`;

describe('experiment fromSnapshot', () => {
  it('reads a snapshot name; absent is none', () => {
    expect(parseLabText(lab('warm-cache'), 'l.yaml').lab?.experiments.get('e')?.fromSnapshot).toBe('warm-cache');
    expect(parseLabText('vms:\n  vm1: {}\nexperiments:\n  e: { vm: vm1 }\n', 'l.yaml').lab?.experiments.get('e')?.fromSnapshot).toBeUndefined();
  });

  it('rejects what is not a snapshot name (all digits: QEMU would take it as an id), at the value, saying what names hold', () => {
    for (const bad of ['"42"', '"-x"', '"a b"', '"../up"']) {
      const { diagnostics, lab: parsed } = parseLabText(lab(bad), 'l.yaml');
      expect(diagnostics, bad).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ code: 'bad-snapshot-name', span: { line: 4, column: 31 } });
      expect(diagnostics[0]?.message).toMatch(/is not a snapshot name: use 1 to 64 letters/);
      expect(parsed?.experiments.get('e')?.fromSnapshot).toBeUndefined();
    }
  });

  it('the language server explains it on hover (from the schema)', () => {
    const { analysis, position } = analysisAt('vms:\n  vm1: {}\nexperiments:\n  e:\n    vm: vm1\n    fromSna‸pshot: warm\n');
    const found = hoverAt(analysis, position, new Map());
    expect(found === null ? '' : (found.contents as MarkupContent).value).toMatch(/\*\*fromSnapshot\*\*[^]*every warm-up and repetition loads it first/);
  });
});
