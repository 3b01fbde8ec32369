import { fileURLToPath } from 'node:url';
import type { Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LabLocation, LabWord } from '../core/lab/lab-location';
import { locateInLab } from '../core/lab/locate';
import type { SourceSpan } from '../core/lab/model';
import type { LabParseResult } from '../core/lab/parse';
import { MAX_LAB_FILE_CHARS } from '../core/lab/read-yaml';
import { readLabStage, validateLabStage, type LabReadStage } from '../core/lab/staged-parse';
import type { LabNode } from '../core/lab/tree';
import { scanYamlLines, type YamlLine } from '../core/lab/yaml-lines';
import { indexNames, type NameIndex } from './name-index';

/** The path a lab diagnostic names for a document URI: the file path for `file:` URIs. */
export function labPathOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/**
 * One version of a lab document, read lazily and at most once: the located tree (for names,
 * outline and completion), validation (diagnostics and model), the lines (for positions). Every
 * provider works from one of these, so a request costs what it needs and no more.
 */
export class LabAnalysis {
  /** The lab file's path, as diagnostics and commands name it. */
  readonly path: string;
  /** The text is longer than any lab file may be: only the diagnostic saying so is given. */
  readonly tooLarge: boolean;
  private read: LabReadStage | undefined;
  private validated: LabParseResult | undefined;
  private scanned: readonly YamlLine[] | undefined;
  private names: NameIndex | undefined;

  /** A snapshot of the document: the editor's documents change in place as the user types. */
  readonly document: TextDocument;

  constructor(document: TextDocument) {
    this.document = TextDocument.create(document.uri, document.languageId, document.version, document.getText());
    this.path = labPathOf(document.uri);
    this.tooLarge = this.text.length > MAX_LAB_FILE_CHARS;
  }

  /** The document's URI. */
  get uri(): string {
    return this.document.uri;
  }

  /** The document version this analysis is of. */
  get version(): number {
    return this.document.version;
  }

  /** The document's text. */
  get text(): string {
    return this.document.getText();
  }

  /** Diagnostics and model: exactly `parseLabText`'s result, as `qemu-lab check` reports it. */
  get parse(): LabParseResult {
    this.validated ??= validateLabStage(this.stage);
    return this.validated;
  }

  /** The located tree, recovered from YAML syntax errors where possible. */
  get tree(): LabNode | undefined {
    return this.stage.tree;
  }

  /** Definitions of and references to host, network and VM names. */
  get nameIndex(): NameIndex {
    this.names ??= indexNames(this.tree);
    return this.names;
  }

  /** What is at `position`; `undefined` for a text too large, in comments and block scalars. */
  locate(position: Position): LabLocation | undefined {
    if (this.tooLarge) return undefined;
    this.scanned ??= scanYamlLines(this.text);
    return locateInLab(this.text, this.document.offsetAt(position), this.scanned);
  }

  /** The offset of `position`, clamped to the text. */
  offsetAt(position: Position): number {
    return this.document.offsetAt(position);
  }

  /** The LSP range of a span (clamped to the text, so always inside the document). */
  rangeOf(span: SourceSpan): Range {
    return this.rangeOfOffsets(span.offset, span.endOffset);
  }

  /** The LSP range of a word. */
  rangeOfWord(word: LabWord): Range {
    return this.rangeOfOffsets(word.start, word.end);
  }

  /** The LSP range from offset `start` to `end` (clamped, ordered). */
  rangeOfOffsets(start: number, end: number): Range {
    const from = this.document.positionAt(start);
    const to = this.document.positionAt(Math.max(start, end));
    return { start: from, end: to };
  }

  private get stage(): LabReadStage {
    this.read ??= readLabStage(this.text, this.path);
    return this.read;
  }
}
