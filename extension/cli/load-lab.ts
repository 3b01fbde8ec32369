import { relative } from 'node:path';
import { LabFileError } from '../core/errors';
import { formatDiagnostic, hasErrors, type LabDiagnostic } from '../core/lab/diagnostic';
import { readLabFile } from '../core/lab/load';
import type { LabModel } from '../core/lab/model';
import type { CliIo } from './io';

/** Diagnostics as the CLI prints them, with paths relative to the working directory. */
export function formatForTerminal(diagnostics: readonly LabDiagnostic[], cwd: string): string {
  return diagnostics.map((d) => formatDiagnostic({ ...d, path: relative(cwd, d.path) || d.path })).join('\n');
}

/**
 * Loads the lab file for a command that needs a valid lab: warnings are printed, errors stop
 * the command (a lab with errors never boots anything).
 */
export async function loadLabOrFail(path: string, io: CliIo): Promise<LabModel> {
  const { lab, diagnostics } = await readLabFile(path);
  if (diagnostics.length > 0) io.err(formatForTerminal(diagnostics, io.cwd) + '\n');
  if (lab === undefined || hasErrors(diagnostics)) {
    throw new LabFileError(`The lab file ${relative(io.cwd, path) || path} has errors; nothing was started.`, {
      hint: 'Fix the problems listed above (qemu-lab check shows them again).',
    });
  }
  return lab;
}
