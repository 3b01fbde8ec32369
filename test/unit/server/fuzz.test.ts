import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { locateInLab } from '../../../extension/core/lab/locate';
import { codeActionsFor } from '../../../extension/server/code-action-provider';
import { codeLenses } from '../../../extension/server/code-lens-provider';
import { completionsAt } from '../../../extension/server/completion-provider';
import { labDiagnostics } from '../../../extension/server/diagnostics-provider';
import { hoverAt } from '../../../extension/server/hover-provider';
import type { LabAnalysis } from '../../../extension/server/lab-analysis';
import { definitionAt, referencesAt } from '../../../extension/server/navigation-provider';
import { documentSymbols } from '../../../extension/server/symbols-provider';
import { anyText } from './arbitraries';
import { analysisOf, fakeHost, hostsMap, LAB_URI } from './helpers';

// Providers are called directly, not through the server's guard: a throw fails the property.
const HOSTS = hostsMap(fakeHost(), fakeHost({ host: 'lab-b', kvmUsable: true, version: [8, 2, 0] }));
const LENS_COMMANDS = new Set(['qemuLab.bootVm', 'qemuLab.runExperiment', 'qemuLab.migrateVm']);

/** A text and positions in it: at offsets (some past the end), and raw positions an editor might send. */
const textWithPositions = anyText.chain((text) =>
  fc.tuple(
    fc.constant(text),
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: text.length + 2 }).map((offset) => ({ offset })),
        fc.record({ line: fc.integer({ min: 0, max: 40 }), character: fc.integer({ min: 0, max: 120 }) }),
      ),
      { minLength: 1, maxLength: 5 },
    ),
  ),
);

function positionOf(document: TextDocument, at: { offset: number } | Position): Position {
  return 'offset' in at ? document.positionAt(at.offset) : at;
}

/** Whether `position` is inside `document` (a character at most the line's length). */
function expectInside(document: TextDocument, position: Position): void {
  expect(position.line).toBeGreaterThanOrEqual(0);
  expect(position.line).toBeLessThan(document.lineCount);
  const lineEnd = document.offsetAt({ line: position.line + 1, character: 0 });
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  expect(position.character).toBeGreaterThanOrEqual(0);
  expect(position.character).toBeLessThanOrEqual(lineEnd - lineStart);
}

function expectRange(document: TextDocument, range: Range): void {
  expectInside(document, range.start);
  expectInside(document, range.end);
  expect(document.offsetAt(range.start)).toBeLessThanOrEqual(document.offsetAt(range.end));
}

function contains(document: TextDocument, outer: Range, inner: Range): boolean {
  return document.offsetAt(outer.start) <= document.offsetAt(inner.start) && document.offsetAt(inner.end) <= document.offsetAt(outer.end);
}

describe('fuzz: the locator', () => {
  it('never throws; a word is inside the text, on one line, around or next to the position', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(anyText, fc.nat(), (text, at) => {
        const offset = at % (text.length + 1);
        const location = locateInLab(text, offset);
        if (location === undefined) return;
        const { word } = location;
        expect(word.start).toBeGreaterThanOrEqual(0);
        expect(word.end).toBeLessThanOrEqual(text.length);
        expect(word.start).toBeLessThanOrEqual(word.end);
        expect(text.slice(word.start, word.end)).not.toContain('\n');
        expect(location.path.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fuzz: the parser and validator', () => {
  it('never throw; every diagnostic lies inside the document', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        // The staged parse the analysis runs equals parseLabText (staged-parse.test.ts).
        const analysis = analysisOf(text);
        for (const diagnostic of labDiagnostics(analysis, HOSTS, { error: (message) => expect.fail(message) })) {
          expectRange(analysis.document, diagnostic.range);
          expect(diagnostic.message).not.toBe('');
        }
      }),
      { numRuns: 600 },
    );
  });
});

describe('fuzz: providers at random positions', () => {
  it('completion: never throws; each edit is on the position\'s line and covers it', { timeout: 60_000 }, () => {
    let offered = 0;
    fc.assert(
      fc.property(textWithPositions, ([text, positions]) => {
        const analysis = analysisOf(text);
        for (const at of positions) {
          const position = analysis.document.positionAt(analysis.document.offsetAt(positionOf(analysis.document, at)));
          const items = completionsAt(analysis, position, HOSTS);
          if (items.length > 0) offered++;
          for (const item of items) {
            expect(item.label).not.toBe('');
            const edit = item.textEdit as TextEdit;
            expectRange(analysis.document, edit.range);
            expect(edit.range.start.line).toBe(position.line);
            expect(edit.range.end.line).toBe(position.line);
            expect(edit.range.start.character).toBeLessThanOrEqual(position.character);
            expect(edit.range.end.character).toBeGreaterThanOrEqual(position.character);
          }
        }
      }),
      { numRuns: 1000 },
    );
    // The texts are lab-like enough that many positions get completions.
    expect(offered).toBeGreaterThan(300);
  });

  it('hover: never throws; its range is inside the document and holds the position', { timeout: 60_000 }, () => {
    let shown = 0;
    fc.assert(
      fc.property(textWithPositions, ([text, positions]) => {
        const analysis = analysisOf(text);
        for (const at of positions) {
          const position = positionOf(analysis.document, at);
          const hover = hoverAt(analysis, position, HOSTS);
          if (hover === null) continue;
          shown++;
          expect(hover.range).toBeDefined();
          const range = hover.range as Range;
          expectRange(analysis.document, range);
          const offset = analysis.document.offsetAt(position);
          expect(analysis.document.offsetAt(range.start)).toBeLessThanOrEqual(offset);
          expect(analysis.document.offsetAt(range.end)).toBeGreaterThanOrEqual(offset);
        }
      }),
      { numRuns: 1000 },
    );
    expect(shown).toBeGreaterThan(100);
  });

  it('definition and references: never throw; every location is inside the document', { timeout: 60_000 }, () => {
    let found = 0;
    fc.assert(
      fc.property(textWithPositions, ([text, positions]) => {
        const analysis = analysisOf(text);
        for (const at of positions) {
          const position = positionOf(analysis.document, at);
          const definition = definitionAt(analysis, LAB_URI, position);
          if (definition !== null) expectRange(analysis.document, definition.range);
          const references = referencesAt(analysis, LAB_URI, position, true);
          if (references.length > 0) found++;
          for (const reference of references) expectRange(analysis.document, reference.range);
        }
      }),
      { numRuns: 1000 },
    );
    expect(found).toBeGreaterThan(20);
  });

  it('symbols and code lenses: never throw; selection inside range inside the document', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const analysis = analysisOf(text);
        const check = (symbols: ReturnType<typeof documentSymbols>, parent?: Range): void => {
          for (const symbol of symbols) {
            expect(symbol.name).not.toBe('');
            expectRange(analysis.document, symbol.range);
            expect(contains(analysis.document, symbol.range, symbol.selectionRange)).toBe(true);
            if (parent !== undefined) expect(contains(analysis.document, parent, symbol.range)).toBe(true);
            check(symbol.children ?? [], symbol.range);
          }
        };
        check(documentSymbols(analysis));
        for (const lens of codeLenses(analysis, LENS_COMMANDS)) expectRange(analysis.document, lens.range);
      }),
      { numRuns: 600 },
    );
  });

  it('quick fixes: never throw; their edits apply inside the document', { timeout: 60_000 }, () => {
    let fixes = 0;
    fc.assert(
      fc.property(anyText, (text) => {
        const analysis: LabAnalysis = analysisOf(text);
        const diagnostics = labDiagnostics(analysis, HOSTS);
        const actions = codeActionsFor(analysis, LAB_URI, diagnostics);
        fixes += actions.length;
        for (const action of actions) {
          const edits = action.edit?.changes?.[LAB_URI] ?? [];
          expect(edits.length).toBeGreaterThan(0);
          for (const edit of edits) expectRange(analysis.document, edit.range);
          expect(() => TextDocument.applyEdits(analysis.document, edits)).not.toThrow();
        }
      }),
      { numRuns: 500 },
    );
    expect(fixes).toBeGreaterThan(50);
  });
});
