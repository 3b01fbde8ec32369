import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A reply captured from QEMU 7.2 (see test/fixtures/snapshots/README.md). */
export function captured(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/snapshots', name), 'utf8')) as unknown;
}
