import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a file of test/fixtures/guest/. */
export function guestFixture(name: string): string {
  return readFileSync(join(__dirname, '..', '..', 'fixtures', 'guest', name), 'utf8');
}
