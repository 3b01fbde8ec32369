/**
 * Reading a lab file from disk. Problems with the file itself (missing, unreadable, too large,
 * not UTF-8) become diagnostics like any other, so `qemu-lab check` and the editor report them
 * the same way; this never throws.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiagnosticCollector, type LabDiagnosticCode } from './diagnostic';
import { parseLabText, type LabParseResult } from './parse';
import { fileTooLargeMessage, MAX_LAB_FILE_CHARS } from './read-yaml';
import { FILE_START } from './span';

/** How to make a lab file, for messages about a missing one. */
const CREATE_HINT = 'create one with "qemu-lab init" or, in VS Code, "QEMU Lab: New Lab File"';

/**
 * Reads and parses the lab file at `path` (made absolute, and kept so in the model and the
 * diagnostics). A file that cannot be read yields `lab: undefined` and one diagnostic.
 */
export async function readLabFile(path: string): Promise<LabParseResult> {
  const absolute = resolve(path);
  const fail = (code: LabDiagnosticCode, message: string): LabParseResult => {
    const diagnostics = new DiagnosticCollector(absolute);
    diagnostics.error(code, FILE_START, message);
    return { lab: undefined, diagnostics: [...diagnostics.diagnostics] };
  };
  let bytes: Buffer;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return fail('file-unreadable', `${absolute} is a directory; name the lab file itself (qemu-lab.yaml or *.qemu-lab.yaml)`);
    // Worst case every character is 4 bytes of UTF-8; anything larger is surely too long.
    if (info.size > MAX_LAB_FILE_CHARS * 4) return fail('file-too-large', fileTooLargeMessage(info.size));
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('file-not-found', `there is no lab file at ${absolute}; ${CREATE_HINT}`);
    const reason = error instanceof Error ? error.message : String(error);
    return fail('file-unreadable', `the lab file cannot be read: ${reason}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail('not-text', 'the file is not UTF-8 text; a lab file is YAML text (save it as UTF-8)');
  }
  return parseLabText(text, absolute);
}
