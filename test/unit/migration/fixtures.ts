import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QmpValue } from '../../../extension/core/infrastructure/qmp/messages';

/** One line of a captured migration (see test/fixtures/migration/SOURCES.md). */
export interface CapturedLine {
  readonly q?: QmpValue;
  readonly dst?: QmpValue;
  readonly t?: number;
  readonly srcEvent?: { event: string; data: Record<string, unknown> };
  readonly dstEvent?: { event: string; data: Record<string, unknown> };
  readonly caps?: QmpValue;
  readonly params?: QmpValue;
  readonly final?: QmpValue;
}

/** The lines of a captured migration. */
export function captured(name: string): CapturedLine[] {
  const text = readFileSync(join(__dirname, '../../fixtures/migration', name), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CapturedLine);
}

/** Just the `query-migrate` replies of a capture, in order. */
export function queryMigrateReplies(name: string): QmpValue[] {
  return captured(name).flatMap((line) => (line.q === undefined ? [] : [line.q]));
}
